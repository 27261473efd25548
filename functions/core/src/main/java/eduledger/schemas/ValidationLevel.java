package eduledger.schemas;

import java.util.Locale;

/** What happens to an event whose data does not conform: rejected (strict) or stored and flagged (lax). */
public enum ValidationLevel {
    STRICT,
    LAX;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ValidationLevel parse(String id) {
        for (ValidationLevel level : values()) {
            if (level.id().equals(id)) {
                return level;
            }
        }
        return null;
    }
}
