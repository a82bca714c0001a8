package io.hookrelay.support.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * Turns the document springdoc generates from a service's controllers into one written the way
 * Svix's is, so that the conventions live here once instead of on every controller method:
 * <ul>
 *   <li>path variables are camelCase in our code and snake_case in Svix's paths
 *       ({@code {appId}} becomes {@code {app_id}});
 *   <li>every POST takes the {@code idempotency-key} header (our idempotency filter reads it, so
 *       no controller declares it);
 *   <li>generic envelopes are named as Svix names them ({@code ListResponse_ApplicationOut_});
 *   <li>a PATCH takes any subset of the fields its PUT takes ({@code Patches} applies it onto the
 *       current value): its body is documented as the PUT body's schema with nothing required,
 *       named {@code ApplicationPatch} for {@code ApplicationIn}, {@code EndpointPatch} for
 *       {@code EndpointUpdate};
 *   <li>every operation lists the Svix error answers ({@code HttpErrorOut},
 *       {@code HTTPValidationError}) that {@code ApiErrorHandler} produces.
 * </ul>
 */
public class SvixDocumentConventions implements OpenApiCustomizer {

    static final String SCHEMAS = "#/components/schemas/";
    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([A-Za-z0-9]+)}");
    private static final Pattern GENERIC_LIST = Pattern.compile("ListResponse([A-Z][A-Za-z0-9]*)");

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getPaths() == null) {
            return;
        }
        renameGenericSchemas(openApi);
        openApi.setPaths(snakeCasePaths(openApi.getPaths()));
        openApi.getPaths().forEach((path, item) -> {
            if (item.getPost() != null) {
                addIdempotencyKey(item.getPost());
            }
            if (item.getPatch() != null && bodySchemaName(item.getPatch()) == null) {
                describePatchBody(openApi, item);
            }
            item.readOperations().forEach(SvixDocumentConventions::addErrorResponses);
        });
        addErrorSchemas(openApi);
    }

    private static Paths snakeCasePaths(Paths paths) {
        var renamed = new Paths();
        paths.forEach((path, item) -> {
            item.readOperations().forEach(operation -> {
                if (operation.getParameters() != null) {
                    operation.getParameters().stream()
                            .filter(parameter -> "path".equals(parameter.getIn()))
                            .forEach(parameter -> parameter.setName(snakeCase(parameter.getName())));
                }
            });
            Matcher variables = PATH_VARIABLE.matcher(path);
            renamed.addPathItem(variables.replaceAll(variable -> "{" + snakeCase(variable.group(1)) + "}"), item);
        });
        return renamed;
    }

    static String snakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static void addIdempotencyKey(Operation operation) {
        boolean declared = operation.getParameters() != null
                && operation.getParameters().stream().anyMatch(p -> "idempotency-key".equalsIgnoreCase(p.getName()));
        if (!declared) {
            Parameter header = new HeaderParameter()
                    .name("idempotency-key")
                    .description("The request's idempotency key: a repeated POST with the same key within 24 hours"
                            + " answers the first response again")
                    .schema(new StringSchema());
            operation.addParametersItem(header);
        }
    }

    /** {@code ListResponseApplicationOut} → {@code ListResponse_ApplicationOut_}, references included. */
    private static void renameGenericSchemas(OpenAPI openApi) {
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, String> renames = new LinkedHashMap<>();
        openApi.getComponents().getSchemas().keySet().forEach(name -> {
            Matcher generic = GENERIC_LIST.matcher(name);
            if (generic.matches()) {
                renames.put(name, "ListResponse_" + generic.group(1) + "_");
            }
        });
        if (renames.isEmpty()) {
            return;
        }
        Map<String, Schema> schemas = new LinkedHashMap<>();
        openApi.getComponents().getSchemas().forEach((name, schema) -> schemas.put(renames.getOrDefault(name, name), schema));
        openApi.getComponents().setSchemas(schemas);
        UnaryOperator<String> rename = ref -> {
            String name = ref.substring(SCHEMAS.length());
            return renames.containsKey(name) ? SCHEMAS + renames.get(name) : ref;
        };
        new SchemaReferences(rename).rewrite(openApi);
    }

    private static void describePatchBody(OpenAPI openApi, PathItem item) {
        String putBody = item.getPut() == null ? null : bodySchemaName(item.getPut());
        if (putBody == null || openApi.getComponents() == null) {
            return;
        }
        Schema<?> put = openApi.getComponents().getSchemas().get(putBody);
        String patchName = putBody.replaceFirst("(In|Update)$", "") + "Patch";
        if (put == null) {
            return;
        }
        Schema<Object> patch = new ObjectSchema();
        patch.setDescription("Any subset of the fields of " + putBody + "; the others keep their values.");
        patch.setProperties(put.getProperties() == null ? null : new LinkedHashMap<>(put.getProperties()));
        openApi.getComponents().addSchemas(patchName, patch);
        var body = new io.swagger.v3.oas.models.parameters.RequestBody()
                .required(true)
                .content(new Content().addMediaType("application/json",
                        new MediaType().schema(new Schema<>().$ref(SCHEMAS + patchName))));
        item.getPatch().setRequestBody(body);
    }

    static String bodySchemaName(Operation operation) {
        if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
            return null;
        }
        MediaType json = operation.getRequestBody().getContent().get("application/json");
        String ref = json == null || json.getSchema() == null ? null : json.getSchema().get$ref();
        return ref == null ? null : ref.substring(SCHEMAS.length());
    }

    private static void addErrorResponses(Operation operation) {
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("401", "Unauthorized");
        errors.put("403", "Forbidden");
        errors.put("404", "Not Found");
        errors.put("409", "Conflict");
        errors.put("422", "Validation Error");
        errors.put("429", "Too Many Requests");
        errors.forEach((status, description) -> {
            if (operation.getResponses() != null && !operation.getResponses().containsKey(status)) {
                String schema = status.equals("422") ? "HTTPValidationError" : "HttpErrorOut";
                operation.getResponses().addApiResponse(status, new ApiResponse()
                        .description(description)
                        .content(new Content().addMediaType("application/json",
                                new MediaType().schema(new Schema<>().$ref(SCHEMAS + schema)))));
            }
        });
    }

    /** The bodies {@code ApiErrorHandler} writes. */
    private static void addErrorSchemas(OpenAPI openApi) {
        var error = new ObjectSchema()
                .addProperty("code", new StringSchema())
                .addProperty("detail", new StringSchema());
        error.setRequired(new ArrayList<>(List.of("code", "detail")));
        var item = new ObjectSchema()
                .addProperty("loc", new ArraySchema().items(new StringSchema()))
                .addProperty("msg", new StringSchema())
                .addProperty("type", new StringSchema());
        item.setRequired(new ArrayList<>(List.of("loc", "msg", "type")));
        var validation = new ObjectSchema()
                .addProperty("detail", new ArraySchema().items(new Schema<>().$ref(SCHEMAS + "ValidationError")));
        validation.setRequired(new ArrayList<>(List.of("detail")));
        openApi.getComponents()
                .addSchemas("HttpErrorOut", error)
                .addSchemas("ValidationError", item)
                .addSchemas("HTTPValidationError", validation);
    }
}
