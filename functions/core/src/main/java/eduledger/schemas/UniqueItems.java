package eduledger.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonValidator;
import com.networknt.schema.Keyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.UniqueItemsValidator;
import com.networknt.schema.ValidationContext;
import com.networknt.schema.ValidationMessage;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code uniqueItems} in time proportional to the array's size. The validator's own check keeps the
 * items in a hash set of JSON nodes, whose hash codes a client chooses: an array of strings that
 * all hash alike (such as every combination of "Aa" and "BB") makes each insertion compare with
 * every item before it, quadratic in the array. Here each item is reduced to a canonical text
 * (object members sorted, numbers in one form, so equal JSON values give equal texts as the
 * specification requires), and a hash set of strings degrades to a balanced tree on colliding
 * hashes, so the check stays near linear whatever the input.
 */
final class UniqueItems implements Keyword {
    @Override
    public String getValue() {
        return "uniqueItems";
    }

    @Override
    public JsonValidator newValidator(
            SchemaLocation schemaLocation,
            JsonNodePath evaluationPath,
            JsonNode schemaNode,
            JsonSchema parentSchema,
            ValidationContext validationContext) {
        return new Validator(schemaLocation, evaluationPath, schemaNode, parentSchema, validationContext);
    }

    private static final class Validator extends UniqueItemsValidator {
        private final boolean unique;

        Validator(
                SchemaLocation schemaLocation,
                JsonNodePath evaluationPath,
                JsonNode schemaNode,
                JsonSchema parentSchema,
                ValidationContext validationContext) {
            super(schemaLocation, evaluationPath, schemaNode, parentSchema, validationContext);
            this.unique = schemaNode.isBoolean() && schemaNode.booleanValue();
        }

        @Override
        public Set<ValidationMessage> validate(
                ExecutionContext executionContext, JsonNode node, JsonNode rootNode, JsonNodePath instanceLocation) {
            if (!unique || !node.isArray()) {
                return Set.of();
            }
            Set<String> seen = new HashSet<>();
            for (JsonNode item : node) {
                StringBuilder text = new StringBuilder();
                canonical(item, text);
                if (!seen.add(text.toString())) {
                    return Set.of(message()
                            .instanceNode(node)
                            .instanceLocation(instanceLocation)
                            .locale(executionContext.getExecutionConfig().getLocale())
                            .failFast(executionContext.isFailFast())
                            .build());
                }
            }
            return Set.of();
        }
    }

    /** One text per JSON value as JSON Schema compares them: members in name order, 1 and 1.0 alike. */
    static void canonical(JsonNode node, StringBuilder text) {
        if (node.isObject()) {
            Map<String, JsonNode> members = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                members.put(member.getKey(), member.getValue());
            }
            text.append('{');
            members.forEach((name, value) -> {
                text.append(com.fasterxml.jackson.databind.node.TextNode.valueOf(name))
                        .append(':');
                canonical(value, text);
                text.append(',');
            });
            text.append('}');
        } else if (node.isArray()) {
            text.append('[');
            for (JsonNode item : node) {
                canonical(item, text);
                text.append(',');
            }
            text.append(']');
        } else if (node.isNumber()) {
            // Numbers are bounded in digits and magnitude when parsed, so this stays short.
            text.append('n').append(node.decimalValue().stripTrailingZeros());
        } else {
            text.append(node);
        }
    }
}
