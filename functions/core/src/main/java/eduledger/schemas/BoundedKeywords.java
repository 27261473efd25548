package eduledger.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.DynamicRefValidator;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonValidator;
import com.networknt.schema.Keyword;
import com.networknt.schema.RecursiveRefValidator;
import com.networknt.schema.RefValidator;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.ValidationContext;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.Vocabularies;
import com.networknt.schema.Vocabulary;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The validator's keywords, each bounded: every keyword is charged to {@link ValidationBudget} for
 * each evaluation ({@link ChargedKeyword}); each reference keyword also charges for every reference
 * it follows and every violation it brings back (branches that refer back multiply both);
 * {@code uniqueItems} is {@link UniqueItems}; {@code format} is {@link BoundedFormat}. Only
 * keywords the dialect has are replaced.
 */
final class BoundedKeywords {
    private BoundedKeywords() {}

    /** Replaces the keywords of drafts 4 to 7, which their meta-schemas list directly. */
    static void replace(Map<String, Keyword> keywords) {
        keywords.computeIfPresent("uniqueItems", (name, keyword) -> new UniqueItems());
        keywords.computeIfPresent("$ref", (name, keyword) -> new Named(name, Ref::new));
        keywords.computeIfPresent("$dynamicRef", (name, keyword) -> new Named(name, DynamicRef::new));
        keywords.computeIfPresent("$recursiveRef", (name, keyword) -> new Named(name, RecursiveRef::new));
        // format is built by BoundedFormat: the validator refuses any other keyword under that name.
        keywords.replaceAll((name, keyword) ->
                name.equals("format") || keyword instanceof ChargedKeyword ? keyword : new ChargedKeyword(keyword));
    }

    /**
     * A vocabulary of drafts 2019-09 and 2020-12 with its keywords replaced: those drafts take their
     * keywords from their vocabularies when the meta-schema is built, over any set before.
     */
    static Vocabulary vocabulary(String iri) {
        Vocabulary standard = Vocabularies.getVocabulary(iri);
        if (standard == null) {
            return null;
        }
        Map<String, Keyword> keywords = new LinkedHashMap<>();
        standard.getKeywords().forEach(keyword -> keywords.put(keyword.getValue(), keyword));
        replace(keywords);
        return new Vocabulary(standard.getIri(), keywords.values().toArray(Keyword[]::new));
    }

    @FunctionalInterface
    private interface Factory {
        JsonValidator create(
                SchemaLocation schemaLocation,
                JsonNodePath evaluationPath,
                JsonNode schemaNode,
                JsonSchema parentSchema,
                ValidationContext validationContext);
    }

    private record Named(String name, Factory factory) implements Keyword {
        @Override
        public String getValue() {
            return name;
        }

        @Override
        public JsonValidator newValidator(
                SchemaLocation schemaLocation,
                JsonNodePath evaluationPath,
                JsonNode schemaNode,
                JsonSchema parentSchema,
                ValidationContext validationContext) {
            return factory.create(schemaLocation, evaluationPath, schemaNode, parentSchema, validationContext);
        }
    }

    private static final class Ref extends RefValidator {
        Ref(SchemaLocation location, JsonNodePath path, JsonNode node, JsonSchema parent, ValidationContext context) {
            super(location, path, node, parent, context);
        }

        @Override
        public Set<ValidationMessage> validate(
                ExecutionContext executionContext, JsonNode node, JsonNode rootNode, JsonNodePath instanceLocation) {
            ValidationBudget.charge(ValidationBudget.REF_STEPS);
            return ValidationBudget.charged(super.validate(executionContext, node, rootNode, instanceLocation));
        }
    }

    private static final class DynamicRef extends DynamicRefValidator {
        DynamicRef(
                SchemaLocation location,
                JsonNodePath path,
                JsonNode node,
                JsonSchema parent,
                ValidationContext context) {
            super(location, path, node, parent, context);
        }

        @Override
        public Set<ValidationMessage> validate(
                ExecutionContext executionContext, JsonNode node, JsonNode rootNode, JsonNodePath instanceLocation) {
            ValidationBudget.charge(ValidationBudget.REF_STEPS);
            return ValidationBudget.charged(super.validate(executionContext, node, rootNode, instanceLocation));
        }
    }

    private static final class RecursiveRef extends RecursiveRefValidator {
        RecursiveRef(
                SchemaLocation location,
                JsonNodePath path,
                JsonNode node,
                JsonSchema parent,
                ValidationContext context) {
            super(location, path, node, parent, context);
        }

        @Override
        public Set<ValidationMessage> validate(
                ExecutionContext executionContext, JsonNode node, JsonNode rootNode, JsonNodePath instanceLocation) {
            ValidationBudget.charge(ValidationBudget.REF_STEPS);
            return ValidationBudget.charged(super.validate(executionContext, node, rootNode, instanceLocation));
        }
    }
}
