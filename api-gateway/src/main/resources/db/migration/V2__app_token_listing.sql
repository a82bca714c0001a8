-- The organisation lists an application's tokens (GET /api/v1/auth/app-token?app_id=…).
create index api_token_app_listing on api_token (app_id, id) where kind = 'app';
