package eduledger.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonValidator;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.ValidationMessage;
import java.util.Set;

/**
 * A validator that puts a bound or a charge in front of another's {@code validate} and is that
 * validator in every other respect, so the library sees the keyword it wraps.
 */
interface WrappedValidator extends JsonValidator {
    JsonValidator validator();

    @Override
    default Set<ValidationMessage> walk(
            ExecutionContext executionContext,
            JsonNode node,
            JsonNode rootNode,
            JsonNodePath instanceLocation,
            boolean shouldValidateSchema) {
        return validator().walk(executionContext, node, rootNode, instanceLocation, shouldValidateSchema);
    }

    @Override
    default void preloadJsonSchema() {
        validator().preloadJsonSchema();
    }

    @Override
    default SchemaLocation getSchemaLocation() {
        return validator().getSchemaLocation();
    }

    @Override
    default JsonNodePath getEvaluationPath() {
        return validator().getEvaluationPath();
    }

    @Override
    default String getKeyword() {
        return validator().getKeyword();
    }
}
