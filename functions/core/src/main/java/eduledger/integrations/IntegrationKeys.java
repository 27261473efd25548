package eduledger.integrations;

/**
 * Integrations and the integrations listing, in the control table. The design, and the access
 * patterns these keys serve, are in {@code docs/data-model.md}.
 */
public final class IntegrationKeys {
    private IntegrationKeys() {}

    public static String integration(String integrationId) {
        return "INTEGRATION#" + integrationId;
    }

    public static final String INTEGRATION_SK = "INTEGRATION";

    public static final String INTEGRATIONS = "INTEGRATIONS";
}
