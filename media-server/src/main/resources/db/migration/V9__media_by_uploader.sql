-- a deleted account's files go with it, in whatever channel they are (AccountMedia)
CREATE INDEX media_by_uploader ON media (uploader);
CREATE INDEX pending_uploads_by_uploader ON pending_uploads (uploader);
