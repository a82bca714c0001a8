package io.hookrelay.local;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Compares operations of our API document with Svix's: method and path, operationId, query and
 * header parameters (names and required-ness), path parameters, request body schema, success
 * status codes and their response schemas, and the schemas themselves, recursively (property
 * names, required-ness, types). Each difference is one line of text, so a test can allow known
 * ones by their exact wording.
 */
final class ApiDocumentComparison {

    private static final String SCHEMAS = "#/components/schemas/";
    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([^}]+)}");

    private final JsonNode reference;
    private final JsonNode ours;
    private final List<String> differences = new ArrayList<>();
    private final Set<String> comparedSchemas = new HashSet<>();

    ApiDocumentComparison(JsonNode reference, JsonNode ours) {
        this.reference = reference;
        this.ours = ours;
    }

    List<String> differences() {
        return differences;
    }

    boolean hasOperation(String method, String path) {
        return !operation(ours, method, path).isMissingNode();
    }

    void compareOperation(String method, String path) {
        String where = method + " " + path;
        JsonNode theirs = operation(reference, method, path);
        JsonNode mine = operation(ours, method, path);
        if (theirs.isMissingNode()) {
            differences.add(where + ": not in the reference");
            return;
        }
        if (mine.isMissingNode()) {
            differences.add(where + ": missing");
            return;
        }
        if (!theirs.path("operationId").asString("").equals(mine.path("operationId").asString(""))) {
            differences.add(where + ": operationId " + mine.path("operationId").asString("(none)")
                    + ", reference " + theirs.path("operationId").asString("(none)"));
        }
        compareParameters(where, theirs, mine, "query");
        compareParameters(where, theirs, mine, "header");
        comparePathParameters(where, path, mine);
        compareRequestBody(where, theirs, mine);
        compareResponses(where, theirs, mine);
    }

    private static JsonNode operation(JsonNode document, String method, String path) {
        return document.path("paths").path(path).path(method.toLowerCase(java.util.Locale.ROOT));
    }

    private void compareParameters(String where, JsonNode theirs, JsonNode mine, String in) {
        var theirNames = parameters(theirs, in);
        var myNames = parameters(mine, in);
        for (String name : theirNames) {
            if (!myNames.contains(name)) {
                differences.add(where + ": " + in + " parameter '" + name + "' missing");
            } else if (required(theirs, in, name) != required(mine, in, name)) {
                differences.add(where + ": " + in + " parameter '" + name + "' required " + required(mine, in, name)
                        + ", reference " + required(theirs, in, name));
            }
        }
        for (String name : myNames) {
            if (!theirNames.contains(name)) {
                differences.add(where + ": " + in + " parameter '" + name + "' not in the reference");
            }
        }
    }

    /**
     * The reference leaves out the path parameters of some operations; the path template (already
     * equal) names them. Ours must declare each, required.
     */
    private void comparePathParameters(String where, String path, JsonNode mine) {
        Matcher variables = PATH_VARIABLE.matcher(path);
        while (variables.find()) {
            String name = variables.group(1);
            if (!parameters(mine, "path").contains(name) || !required(mine, "path", name)) {
                differences.add(where + ": path parameter '" + name + "' not declared as required");
            }
        }
        for (String name : parameters(mine, "path")) {
            if (!path.contains("{" + name + "}")) {
                differences.add(where + ": path parameter '" + name + "' not in the path");
            }
        }
    }

    private static Set<String> parameters(JsonNode operation, String in) {
        Set<String> names = new TreeSet<>();
        operation.path("parameters").forEach(parameter -> {
            if (in.equals(parameter.path("in").asString())) {
                names.add(parameter.path("name").asString());
            }
        });
        return names;
    }

    private static boolean required(JsonNode operation, String in, String name) {
        for (JsonNode parameter : operation.path("parameters")) {
            if (in.equals(parameter.path("in").asString()) && name.equals(parameter.path("name").asString())) {
                return parameter.path("required").asBoolean(false);
            }
        }
        return false;
    }

    private void compareRequestBody(String where, JsonNode theirs, JsonNode mine) {
        String theirBody = schemaName(theirs.path("requestBody"));
        String myBody = schemaName(mine.path("requestBody"));
        if (!theirBody.equals(myBody)) {
            differences.add(where + ": request body " + myBody + ", reference " + theirBody);
        } else if (!theirBody.equals("(none)")) {
            compareSchema(theirBody, theirBody, true);
        }
    }

    private void compareResponses(String where, JsonNode theirs, JsonNode mine) {
        Set<String> theirCodes = successCodes(theirs);
        Set<String> myCodes = successCodes(mine);
        if (!theirCodes.equals(myCodes)) {
            differences.add(where + ": success statuses " + myCodes + ", reference " + theirCodes);
        }
        for (String code : theirCodes) {
            if (!myCodes.contains(code)) {
                continue;
            }
            String theirBody = schemaName(theirs.path("responses").path(code));
            String myBody = schemaName(mine.path("responses").path(code));
            if (!theirBody.equals(myBody)) {
                differences.add(where + ": " + code + " body " + myBody + ", reference " + theirBody);
            } else if (!theirBody.equals("(none)")) {
                compareSchema(theirBody, theirBody, false);
            }
        }
    }

    private static Set<String> successCodes(JsonNode operation) {
        Set<String> codes = new TreeSet<>();
        operation.path("responses").propertyNames().forEach(code -> {
            if (code.startsWith("2")) {
                codes.add(code);
            }
        });
        return codes;
    }

    private static String schemaName(JsonNode bodyOrResponse) {
        JsonNode schema = bodyOrResponse.path("content").path("application/json").path("schema");
        String ref = schema.path("$ref").asString("");
        return ref.startsWith(SCHEMAS) ? ref.substring(SCHEMAS.length()) : schema.isMissingNode() ? "(none)" : "(inline)";
    }

    /**
     * Property names, required-ness and types, then the schemas the properties refer to. In a
     * request, required-ness must be equal (requiring more would refuse what Svix SDKs send); in a
     * response, each field the reference requires must be required here (clients rely on it) and
     * requiring more is a promise kept, not a difference.
     */
    private void compareSchema(String theirName, String myName, boolean request) {
        if (!comparedSchemas.add(theirName + "|" + myName + "|" + request)) {
            return;
        }
        JsonNode theirs = schema(reference, theirName);
        JsonNode mine = schema(ours, myName);
        String where = "schema " + theirName + (theirName.equals(myName) ? "" : " (ours " + myName + ")");
        if (mine.isMissingNode()) {
            differences.add(where + ": missing");
            return;
        }
        Set<String> theirRequired = names(theirs.path("required"));
        Set<String> myRequired = names(mine.path("required"));
        for (String property : theirs.path("properties").propertyNames()) {
            JsonNode mineProperty = mine.path("properties").path(property);
            if (mineProperty.isMissingNode()) {
                differences.add(where + ": property '" + property + "' missing");
                continue;
            }
            boolean theyRequire = theirRequired.contains(property);
            boolean weRequire = myRequired.contains(property);
            if (theyRequire && !weRequire || request && weRequire && !theyRequire) {
                differences.add(where + ": property '" + property + "' " + (weRequire ? "required" : "optional")
                        + ", reference " + (theyRequire ? "required" : "optional"));
            }
            compareProperty(where + ": property '" + property + "'", theirs.path("properties").path(property),
                    mineProperty, request);
        }
        for (String property : mine.path("properties").propertyNames()) {
            if (theirs.path("properties").path(property).isMissingNode()) {
                differences.add(where + ": property '" + property + "' not in the reference");
            }
        }
    }

    private void compareProperty(String where, JsonNode theirs, JsonNode mine, boolean request) {
        String theirType = type(reference, theirs);
        String myType = type(ours, mine);
        boolean freeForm = theirType.startsWith("object") && myType.equals("object")
                || myType.startsWith("object") && theirType.equals("object");
        if (!theirType.equals(myType) && !freeForm) {
            differences.add(where + ": type " + myType + ", reference " + theirType);
            return;
        }
        String theirRef = objectReference(reference, theirs);
        String myRef = objectReference(ours, mine);
        if (theirRef != null && myRef != null) {
            compareSchema(theirRef, myRef, request);
        }
    }

    /**
     * A type written out: {@code string}, {@code integer}, {@code array<string>}, {@code object} (free
     * form), {@code object<string>} (a map), {@code object:Name} (a schema with properties). A
     * reference to an enumeration is its value type: Svix names its enumerations
     * ({@code MessageStatus}), we write them inline.
     */
    private static String type(JsonNode document, JsonNode schema) {
        JsonNode resolved = resolve(document, schema);
        String type = resolved.path("type").asString("");
        if (type.equals("array")) {
            return "array<" + type(document, resolved.path("items")) + ">";
        }
        if (resolved.has("properties") && resolved.path("properties").size() > 0) {
            return "object:" + objectReference(document, schema);
        }
        if (type.equals("object") || type.isEmpty() && !resolved.has("enum")) {
            JsonNode values = resolved.path("additionalProperties");
            return values.isObject() && values.size() > 0 ? "object<" + type(document, values) + ">" : "object";
        }
        return type;
    }

    /** The named schema a property refers to (directly, or through an array or a one-item allOf). */
    private static String objectReference(JsonNode document, JsonNode schema) {
        JsonNode target = schema.has("allOf") && schema.path("allOf").size() == 1 ? schema.path("allOf").get(0) : schema;
        if (target.path("type").asString("").equals("array")) {
            return objectReference(document, target.path("items"));
        }
        String ref = target.path("$ref").asString("");
        return ref.startsWith(SCHEMAS) && resolve(document, target).has("properties") ? ref.substring(SCHEMAS.length()) : null;
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        JsonNode target = schema.has("allOf") && schema.path("allOf").size() == 1 ? schema.path("allOf").get(0) : schema;
        String ref = target.path("$ref").asString("");
        return ref.startsWith(SCHEMAS) ? schema(document, ref.substring(SCHEMAS.length())) : target;
    }

    private static JsonNode schema(JsonNode document, String name) {
        return document.path("components").path("schemas").path(name);
    }

    private static Set<String> names(JsonNode array) {
        Set<String> names = new TreeSet<>();
        array.forEach(name -> names.add(name.asString()));
        return names;
    }
}
