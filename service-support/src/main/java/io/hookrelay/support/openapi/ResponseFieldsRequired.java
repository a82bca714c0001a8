package io.hookrelay.support.openapi;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.Schema;
import java.lang.annotation.Annotation;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Marks the fields of a response record ({@code ...Out}, and the list envelope) as required in
 * the document unless the component is annotated {@code @Nullable}: a response always carries
 * its fields, and the few that may be null say so in the code. Request records say what they
 * require with Bean Validation ({@code @NotNull}, {@code @NotBlank}), which springdoc reads.
 */
public class ResponseFieldsRequired implements ModelConverter {

    @Override
    public Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
        if (!chain.hasNext()) {
            return null;
        }
        Schema<?> schema = chain.next().resolve(type, context, chain);
        if (schema == null || type.getType() == null) {
            return schema;
        }
        Class<?> raw = Json.mapper().constructType(type.getType()).getRawClass();
        if (!raw.isRecord() || !(raw.getSimpleName().endsWith("Out") || raw.getSimpleName().equals("ListResponse"))) {
            return schema;
        }
        Schema<?> model = schema;
        if (schema.get$ref() != null) {
            model = context.getDefinedModels().get(schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1));
        }
        if (model != null && model.getProperties() != null) {
            List<String> required = new ArrayList<>();
            for (RecordComponent component : raw.getRecordComponents()) {
                if (!nullable(component) && model.getProperties().containsKey(component.getName())) {
                    required.add(component.getName());
                }
            }
            model.setRequired(required.isEmpty() ? null : required);
        }
        return schema;
    }

    private static boolean nullable(RecordComponent component) {
        return Stream.concat(
                        Arrays.stream(component.getAnnotations()),
                        Arrays.stream(component.getAnnotatedType().getAnnotations()))
                .map(Annotation::annotationType)
                .anyMatch(annotation -> annotation.getSimpleName().equals("Nullable"));
    }
}
