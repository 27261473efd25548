package eduledger.integrations;

import eduledger.storage.Keys;

/**
 * Integrations, the integrations listing, applications and the integrations each application owns,
 * in the control table. The design, and the access patterns these keys serve, are in {@code
 * docs/data-model.md}.
 */
public final class IntegrationKeys {
    private IntegrationKeys() {}

    public static String integration(String integrationId) {
        return "INTEGRATION#" + integrationId;
    }

    public static final String INTEGRATION_SK = "INTEGRATION";

    public static final String INTEGRATIONS = "INTEGRATIONS";

    /**
     * One copy of the sharing epoch, which every rule change moves (all copies at once) and every
     * change-stream transaction checks (one copy).
     */
    public static String sharingEpoch(int copy) {
        return "SHARINGEPOCH#" + Keys.zeroPadded(copy, 2);
    }

    public static final String SHARING_EPOCH_SK = "EPOCH";

    public static String application(String applicationId) {
        return "APPLICATION#" + applicationId;
    }

    public static final String APPLICATION_SK = "APPLICATION";

    /**
     * The partition listing an application's integrations, one item per integration (sort key its
     * id): the meta routes' list, and whether an audit scope is one of the application's
     * integrations, are a Query and a GetItem on it.
     */
    public static String applicationIntegrations(String applicationId) {
        return "APPINTEGRATIONS#" + applicationId;
    }
}
