CREATE INDEX resources_updated_at ON resources (updated_at);
