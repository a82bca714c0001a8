package io.hookrelay.support.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.Schema;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Rewrites every {@code $ref} to a schema, wherever it sits in a document. */
final class SchemaReferences {

    private final UnaryOperator<String> rewrite;
    private final Map<Schema<?>, Boolean> seen = new IdentityHashMap<>();

    SchemaReferences(UnaryOperator<String> rewrite) {
        this.rewrite = rewrite;
    }

    void rewrite(OpenAPI openApi) {
        if (openApi.getComponents() != null && openApi.getComponents().getSchemas() != null) {
            openApi.getComponents().getSchemas().values().forEach(this::schema);
        }
        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> {
            if (operation.getParameters() != null) {
                operation.getParameters().forEach(parameter -> schema(parameter.getSchema()));
            }
            if (operation.getRequestBody() != null) {
                content(operation.getRequestBody().getContent());
            }
            if (operation.getResponses() != null) {
                operation.getResponses().values().forEach(response -> content(response.getContent()));
            }
        }));
    }

    private void content(Content content) {
        if (content != null) {
            content.values().forEach(media -> schema(media.getSchema()));
        }
    }

    private void schema(Schema<?> schema) {
        if (schema == null || seen.put(schema, Boolean.TRUE) != null) {
            return;
        }
        if (schema.get$ref() != null && schema.get$ref().startsWith(SvixDocumentConventions.SCHEMAS)) {
            schema.set$ref(rewrite.apply(schema.get$ref()));
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(this::schema);
        }
        schema(schema.getItems());
        if (schema.getAdditionalProperties() instanceof Schema<?> values) {
            schema(values);
        }
        for (var composed : new java.util.List[] {schema.getAllOf(), schema.getAnyOf(), schema.getOneOf()}) {
            if (composed != null) {
                for (Object part : composed) {
                    schema((Schema<?>) part);
                }
            }
        }
        schema(schema.getNot());
    }
}
