-- Version 1 of the task hub. Times are UTC ticks. Payloads are the Durable Task Framework's own objects as JSON
-- (DurableJson): a TaskMessage per queued message, a HistoryEvent per history row, an OrchestrationState per instance.

-- One row per instance: its latest execution, its status for queries, and the lease of the host working on it.
CREATE TABLE instances (
    instance_id     TEXT    NOT NULL PRIMARY KEY,
    execution_id    TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    status          INTEGER NOT NULL,  -- DurableTask.Core.OrchestrationStatus
    created_at      INTEGER NOT NULL,
    last_updated_at INTEGER NOT NULL,
    completed_at    INTEGER NULL,
    state           TEXT    NOT NULL,  -- OrchestrationState
    lock_token      TEXT    NULL,      -- one lease; a writer must still hold it to commit
    lock_owner      TEXT    NULL,      -- the host that holds it (released at its restart)
    lock_expires_at INTEGER NULL
);
CREATE INDEX ix_instances_created ON instances (created_at, instance_id);
CREATE INDEX ix_instances_status ON instances (status, created_at, instance_id);
CREATE INDEX ix_instances_owner ON instances (lock_owner) WHERE lock_owner IS NOT NULL;

-- The current execution's history. Its key makes a second writer of the same history hit a key conflict, so
-- split-brain is detected and that writer abandons its work item.
CREATE TABLE history (
    instance_id  TEXT    NOT NULL,
    execution_id TEXT    NOT NULL,
    sequence     INTEGER NOT NULL,
    payload      TEXT    NOT NULL,
    PRIMARY KEY (instance_id, execution_id, sequence)
) WITHOUT ROWID;

-- Messages to orchestrations (starts, results, timers, events); an instance's lease covers its messages.
CREATE TABLE orchestration_messages (
    sequence      INTEGER PRIMARY KEY,
    instance_id   TEXT    NOT NULL,
    event_type    INTEGER NOT NULL,  -- DurableTask.Core.History.EventType
    visible_at    INTEGER NOT NULL,
    dequeue_count INTEGER NOT NULL DEFAULT 0,
    payload       TEXT    NOT NULL
);
CREATE INDEX ix_orchestration_messages_visible ON orchestration_messages (visible_at, sequence);
CREATE INDEX ix_orchestration_messages_instance ON orchestration_messages (instance_id, sequence);

-- Activities to run, each leased on its own.
CREATE TABLE activity_tasks (
    sequence        INTEGER PRIMARY KEY,
    instance_id     TEXT    NOT NULL,
    lock_token      TEXT    NULL,
    lock_owner      TEXT    NULL,
    lock_expires_at INTEGER NULL,
    dequeue_count   INTEGER NOT NULL DEFAULT 0,
    payload         TEXT    NOT NULL
);
CREATE INDEX ix_activity_tasks_free ON activity_tasks (sequence) WHERE lock_expires_at IS NULL;
CREATE INDEX ix_activity_tasks_expiry ON activity_tasks (lock_expires_at) WHERE lock_expires_at IS NOT NULL;
CREATE INDEX ix_activity_tasks_instance ON activity_tasks (instance_id);
CREATE INDEX ix_activity_tasks_owner ON activity_tasks (lock_owner) WHERE lock_owner IS NOT NULL;
