-- Version 1: instances, their histories, and the two queues (orchestration messages, activities), in the task
-- hub's own schema. Times are UTC ticks. A history row's key is (instance, execution, sequence), so a second writer
-- of the same history hits a key conflict and abandons its work item (split-brain is detected, not hoped away).
CREATE TABLE instances (
    instance_id        TEXT    NOT NULL PRIMARY KEY,
    execution_id       TEXT    NOT NULL,
    name               TEXT    NOT NULL,
    status             INTEGER NOT NULL,
    input              TEXT    NULL,
    output             TEXT    NULL,
    custom_status      TEXT    NULL,
    failure            TEXT    NULL,
    created_at         BIGINT  NOT NULL,
    last_updated_at    BIGINT  NOT NULL,
    completed_at       BIGINT  NULL,
    parent_instance_id TEXT    NULL,
    history_count      INTEGER NOT NULL DEFAULT 0,
    lock_owner         TEXT    NULL,
    lock_expires_at    BIGINT  NULL
);
CREATE INDEX ix_instances_created ON instances (created_at, instance_id);
CREATE INDEX ix_instances_status ON instances (status, created_at);

CREATE TABLE history (
    instance_id  TEXT    NOT NULL,
    execution_id TEXT    NOT NULL,
    sequence     INTEGER NOT NULL,
    event_type   TEXT    NOT NULL,
    timestamp    BIGINT  NOT NULL,
    payload      TEXT    NOT NULL,
    PRIMARY KEY (instance_id, execution_id, sequence)
);

CREATE TABLE orchestration_messages (
    sequence      BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    instance_id   TEXT    NOT NULL,
    event_type    TEXT    NOT NULL,
    payload       TEXT    NOT NULL,
    visible_at    BIGINT  NOT NULL,
    dequeue_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_orchestration_messages_visible ON orchestration_messages (visible_at);
CREATE INDEX ix_orchestration_messages_instance ON orchestration_messages (instance_id, visible_at);

CREATE TABLE activity_tasks (
    sequence        BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    instance_id     TEXT    NOT NULL,
    execution_id    TEXT    NOT NULL,
    task_id         INTEGER NOT NULL,
    name            TEXT    NOT NULL,
    input           TEXT    NULL,
    visible_at      BIGINT  NOT NULL,
    lock_owner      TEXT    NULL,
    lock_expires_at BIGINT  NULL,
    dequeue_count   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_activity_tasks_instance ON activity_tasks (instance_id);
CREATE INDEX ix_activity_tasks_visible ON activity_tasks (visible_at, sequence);
