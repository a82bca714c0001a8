package io.hookrelay.ingest.api;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads and writes {@code jsonb} columns: string maps (metadata, headers) and free JSON (schemas). */
@Component
public class JsonColumns {

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private final JsonMapper json;

    public JsonColumns(JsonMapper json) {
        this.json = json;
    }

    public Json write(Map<String, String> map) {
        return Json.of(json.writeValueAsString(map));
    }

    public Map<String, String> readMap(Readable row, String column) {
        Json value = row.get(column, Json.class);
        return value == null ? Map.of() : json.readValue(value.asString(), STRING_MAP);
    }

    public Json writeTree(JsonNode value) {
        return Json.of(json.writeValueAsString(value));
    }

    public JsonNode readTree(Readable row, String column) {
        Json value = row.get(column, Json.class);
        return value == null ? null : json.readTree(value.asString());
    }
}
