package eduledger.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonValidator;
import com.networknt.schema.Keyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.ValidationContext;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.annotation.JsonNodeAnnotation;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * A keyword whose every evaluation is charged to {@link ValidationBudget} before it runs, so no
 * keyword escapes the budget. What one evaluation does is bounded by what it is charged: a fixed
 * {@link ValidationBudget#KEYWORD_STEPS}, plus the entries of the keyword's own value (the names
 * {@code required} looks up, the subschemas {@code allOf} or {@code properties} holds), plus the
 * members, items or characters of the value it is applied to, plus, for the {@code unevaluated}
 * keywords, the annotations they read back; and every violation it returns costs
 * {@link ValidationBudget#VIOLATION_STEPS}. A schema applied along {@code items} to every element
 * of an array, or nested {@code allOf} many times over, therefore spends the budget instead of
 * multiplying the schema's size by the event's.
 */
record ChargedKeyword(Keyword keyword) implements Keyword {
    @Override
    public String getValue() {
        return keyword.getValue();
    }

    @Override
    public JsonValidator newValidator(
            SchemaLocation schemaLocation,
            JsonNodePath evaluationPath,
            JsonNode schemaNode,
            JsonSchema parentSchema,
            ValidationContext validationContext)
            throws Exception {
        JsonValidator validator =
                keyword.newValidator(schemaLocation, evaluationPath, schemaNode, parentSchema, validationContext);
        if (validator == null) {
            return null;
        }
        String name = keyword.getValue();
        boolean readsAnnotations = name.equals("unevaluatedProperties") || name.equals("unevaluatedItems");
        boolean whole = WHOLE_VALUE.contains(name);
        return new Charged(
                validator, whole ? JsonSchemas.characters(schemaNode) : width(schemaNode), whole, readsAnnotations);
    }

    /**
     * Keywords that read the whole value, not only its top: they hash, compare or write out every
     * member and item below it, so they are charged for all of it ({@link JsonSchemas#characters}),
     * and for all of their own value, which {@code const} and {@code enum} compare it with.
     */
    private static final Set<String> WHOLE_VALUE = Set.of("const", "enum", "uniqueItems");

    /** The entries of a container, the characters of a string, one for anything else. */
    static long width(JsonNode node) {
        if (node == null) {
            return 0;
        }
        if (node.isContainerNode()) {
            return node.size();
        }
        if (node.isTextual()) {
            return node.textValue().length();
        }
        return 1;
    }

    private record Charged(JsonValidator validator, long ownWidth, boolean whole, boolean readsAnnotations)
            implements WrappedValidator {
        @Override
        public Set<ValidationMessage> validate(
                ExecutionContext executionContext, JsonNode node, JsonNode rootNode, JsonNodePath instanceLocation) {
            long steps =
                    ValidationBudget.KEYWORD_STEPS + ownWidth + (whole ? JsonSchemas.characters(node) : width(node));
            if (readsAnnotations) {
                steps += annotations(executionContext, instanceLocation);
            }
            ValidationBudget.charge(steps);
            return ValidationBudget.charged(validator.validate(executionContext, node, rootNode, instanceLocation));
        }

        @Override
        public String toString() {
            return validator.toString();
        }
    }

    /** What an {@code unevaluated} keyword reads back at one place: every annotation and each name or index it holds. */
    private static long annotations(ExecutionContext executionContext, JsonNodePath instanceLocation) {
        List<JsonNodeAnnotation> annotations =
                executionContext.getAnnotations().asMap().get(instanceLocation);
        if (annotations == null) {
            return 0;
        }
        long count = annotations.size();
        for (JsonNodeAnnotation annotation : annotations) {
            if (annotation.getValue() instanceof Collection<?> values) {
                count += values.size();
            }
        }
        return count;
    }
}
