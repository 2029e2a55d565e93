"""Operations: backups and restores, integrity checks, the background worker's recovery and
the production smoke test. Sits above every domain app, like the faces (portal, api)."""
