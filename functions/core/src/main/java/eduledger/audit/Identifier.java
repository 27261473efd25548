package eduledger.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One name of an actor or target: a value in the terms of its issuer. Issuer {@code edlink} means
 * the value is the id of a roster object, which a read enriches with its details.
 */
public record Identifier(String value, String issuer) {
    public static final String EDLINK = "edlink";

    // Written out, as a record's own are bootstrapped through method handles on first use: some
    // two dozen generated classes on an ingest's first request, which hashes identifiers.
    @Override
    public boolean equals(Object other) {
        return other instanceof Identifier that
                && Objects.equals(value, that.value)
                && Objects.equals(issuer, that.issuer);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(value) + Objects.hashCode(issuer);
    }

    static Identifier fromJson(JsonNode json) {
        return new Identifier(json.path("value").asText(), json.path("issuer").asText());
    }
}
