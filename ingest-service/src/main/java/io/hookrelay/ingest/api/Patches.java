package io.hookrelay.ingest.api;

import io.hookrelay.support.api.ApiException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies a Svix {@code *Patch} body: fields present in the patch replace the current ones (an
 * explicit {@code null} clears a field), absent fields stay. The result is validated as the full
 * input type, so a patch can never store what a create would refuse.
 */
@Component
public class Patches {

    private final JsonMapper json;
    private final Validator validator;

    public Patches(JsonMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    public <T> T apply(T current, JsonNode patch, Map<String, String> aliases, Class<T> type) {
        if (patch == null || !patch.isObject()) {
            throw ApiException.validation("body", "body must be a JSON object");
        }
        ObjectNode merged = json.valueToTree(current);
        for (var field : patch.properties()) {
            merged.set(aliases.getOrDefault(field.getKey(), field.getKey()), field.getValue());
        }
        T result;
        try {
            result = json.treeToValue(merged, type);
        } catch (JacksonException e) {
            throw ApiException.validation("body", "invalid value: " + e.getOriginalMessage());
        }
        return validate(result);
    }

    /** Bean-validates a value built outside Spring's request binding; the first violation is a 422. */
    public <T> T validate(T value) {
        validator.validate(value).stream()
                .min(Comparator.comparing(v -> v.getPropertyPath().toString()))
                .ifPresent(Patches::reject);
        return value;
    }

    private static void reject(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        int bracket = path.indexOf('[');
        String field = bracket < 0 ? path : path.substring(0, bracket);
        throw ApiException.validation(field, field + ": " + violation.getMessage());
    }
}
