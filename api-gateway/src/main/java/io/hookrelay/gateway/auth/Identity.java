package io.hookrelay.gateway.auth;

/**
 * Who a verified request comes from.
 *
 * @param tokenId the token's public id ({@code tok_…}, or {@code admin} for the configured
 *     bootstrap token): safe to log, passed to the services
 * @param appId for an application-scoped token, the one application it may reach; null for an
 *     organisation token
 * @param appUid that application's uid when the token was issued, accepted in paths like the id
 * @param readOnly the token may only read
 */
public record Identity(String tokenId, String appId, String appUid, boolean readOnly) {

    public static final String ATTRIBUTE = Identity.class.getName();

    public static Identity organisation(String tokenId) {
        return new Identity(tokenId, null, null, false);
    }

    public boolean isOrganisation() {
        return appId == null;
    }

    /** The scope as the services see it: {@code org} or {@code app:<id>}. */
    public String scope() {
        return isOrganisation() ? "org" : "app:" + appId;
    }

    /** True when {@code idOrUid} from a path names this token's application. */
    public boolean owns(String idOrUid) {
        return idOrUid.equals(appId) || (appUid != null && idOrUid.equals(appUid));
    }
}
