package org.buddycloud.channels.portability;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.buddycloud.contracts.problem.Condition;
import org.buddycloud.contracts.problem.DomainException;

/** How the archive's JSON files are written and read: ISO-8601 times, unknown fields ignored (a later version adds some). */
final class ArchiveJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private ArchiveJson() {
    }

    static void write(OutputStream out, Object value) throws IOException {
        MAPPER.writerWithDefaultPrettyPrinter().without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .writeValue(out, value);
    }

    /** The file as {@code type}; a file that is not that is a broken archive, refused with where it broke. */
    static <T> T read(InputStream in, Class<T> type, String path) {
        try {
            return MAPPER.readValue(in, type);
        } catch (IOException e) {
            throw ArchiveReader.refused(path + " is not valid: " + firstLine(e.getMessage()));
        }
    }

    static <T> T read(InputStream in, com.fasterxml.jackson.core.type.TypeReference<T> type, String path) {
        try {
            return MAPPER.readValue(in, type);
        } catch (IOException e) {
            throw ArchiveReader.refused(path + " is not valid: " + firstLine(e.getMessage()));
        }
    }

    static DomainException invalid(String message) {
        return new DomainException(Condition.BAD_REQUEST, message);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
