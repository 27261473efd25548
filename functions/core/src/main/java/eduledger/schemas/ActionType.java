package eduledger.schemas;

import java.util.Locale;

/** Edlink's audit action types. */
public enum ActionType {
    CREATE,
    READ,
    UPDATE,
    DELETE,
    OTHER;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ActionType parse(String id) {
        for (ActionType type : values()) {
            if (type.id().equals(id)) {
                return type;
            }
        }
        return null;
    }
}
