-- API tokens, owned by api-gateway. Only a SHA-256 digest of each token is kept: the tokens are
-- 256-bit random strings, so a fast digest is enough (no password stretching needed) and a
-- leaked table does not leak usable credentials.
create table api_token (
    id           text primary key,                 -- tok_<ksuid>, safe to log and show
    secret_hash  bytea not null unique,            -- sha256(token)
    kind         text not null check (kind in ('org', 'app')),
    name         text,
    app_id       text,                             -- app tokens: the one application they reach
    app_uid      text,
    read_only    boolean not null default false,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz,                      -- null: never
    revoked_at   timestamptz,
    check ((kind = 'app') = (app_id is not null))
);

create index api_token_org_listing on api_token (id) where kind = 'org';
