package eduledger.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Format;
import com.networknt.schema.FormatKeyword;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonValidator;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.ValidationContext;
import com.networknt.schema.ValidationMessage;
import java.util.Map;
import java.util.Set;

/**
 * {@code format} with a bounded cost. The validator checks formats with its own parsers and
 * regular expressions, outside {@link ValidationBudget}'s patterns, and some of them take more than
 * linear time on long text. So a string is checked against its format only up to the length the
 * format can have ({@link #maxLength}): a longer one is a violation without being parsed. Each
 * check is charged to the budget like any keyword, at {@link #STEPS_PER_CHARACTER} per character.
 */
final class BoundedFormat extends FormatKeyword {
    /** The longest text any format is checked on: far beyond a URI or JSON pointer an audit event carries. */
    static final int MAX_LENGTH = 2_048;
    /** Parsing a format reads each character a few times, and some of them through regular expressions. */
    static final long STEPS_PER_CHARACTER = 8;

    private static final Map<String, Integer> LENGTHS = Map.ofEntries(
            Map.entry("date", 64),
            Map.entry("time", 64),
            Map.entry("date-time", 64),
            Map.entry("duration", 256),
            Map.entry("email", 320),
            Map.entry("idn-email", 320),
            Map.entry("hostname", 253),
            Map.entry("idn-hostname", 253),
            Map.entry("ipv4", 15),
            Map.entry("ipv6", 45),
            Map.entry("uuid", 36));

    BoundedFormat(Map<String, Format> formats) {
        super(formats);
    }

    /** The longest string checked against {@code format}: what a valid value can be, or {@link #MAX_LENGTH}. */
    static int maxLength(String format) {
        return LENGTHS.getOrDefault(format, MAX_LENGTH);
    }

    @Override
    public JsonValidator newValidator(
            SchemaLocation schemaLocation,
            JsonNodePath evaluationPath,
            JsonNode schemaNode,
            JsonSchema parentSchema,
            ValidationContext validationContext) {
        JsonValidator validator =
                super.newValidator(schemaLocation, evaluationPath, schemaNode, parentSchema, validationContext);
        String format = schemaNode.isTextual() ? schemaNode.textValue() : "";
        return new Checked(validator, format, maxLength(format));
    }

    private record Checked(JsonValidator validator, String format, int maxLength) implements WrappedValidator {
        @Override
        public Set<ValidationMessage> validate(
                ExecutionContext executionContext, JsonNode node, JsonNode rootNode, JsonNodePath instanceLocation) {
            long length = node.isTextual() ? node.textValue().length() : 0;
            if (length > maxLength) {
                ValidationBudget.charge(ValidationBudget.KEYWORD_STEPS + ValidationBudget.VIOLATION_STEPS);
                return Set.of(ValidationMessage.builder()
                        .type("format")
                        .code("1022")
                        .messageKey("format")
                        .instanceLocation(instanceLocation)
                        .evaluationPath(validator.getEvaluationPath())
                        .schemaLocation(validator.getSchemaLocation())
                        .instanceNode(node)
                        .messageSupplier(() -> instanceLocation + ": has " + length + " characters, more than the "
                                + maxLength + " of any value of the format '" + format + "' that is checked")
                        .build());
            }
            ValidationBudget.charge(ValidationBudget.KEYWORD_STEPS + STEPS_PER_CHARACTER * length);
            return ValidationBudget.charged(validator.validate(executionContext, node, rootNode, instanceLocation));
        }
    }
}
