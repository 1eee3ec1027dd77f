// WriteOffsets writes offsets files exactly as Kafka's FileOffsetBackingStore
// saves them (an ObjectOutputStream holding a HashMap<byte[], byte[]>), so
// the Go reader is tested against the JDK's own serialization. The .bin
// files next to it are its output; regenerate them with
//
//	javac -d /tmp WriteOffsets.java && java -cp /tmp WriteOffsets .
//
// Keys and values are the JSON that Kafka's internal JsonConverter writes:
// compact, with the key [connector name, source partition].
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

public class WriteOffsets {
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");

        write(dir.resolve("empty.bin"), new HashMap<>());

        Map<byte[], byte[]> several = new HashMap<>();
        put(several, "[\"local-file-source\",{\"filename\":\"test.txt\"}]", "{\"position\":22}");
        put(several, "[\"local-file-source\",{\"filename\":\"/var/log/app.log\"}]", "{\"position\":1048576}");
        // A multi-key partition, with the key order a Java HashMap gives.
        put(several, "[\"jdbc-source\",{\"table\":\"orders\",\"schema\":\"public\"}]",
                "{\"incrementing\":9007199254740993,\"timestamp_nanos\":0,\"ratio\":0.5}");
        // A tombstone: the partition's offset was reset.
        put(several, "[\"jdbc-source\",{\"table\":\"customers\",\"schema\":\"public\"}]", null);
        // Non-ASCII connector name and partition, including a character
        // outside the Basic Multilingual Plane.
        put(several, "[\"fichier-\u00e9t\u00e9\",{\"filename\":\"donn\u00e9es-\u6771\u4eac-\ud83d\ude00.txt\"}]",
                "{\"position\":7,\"line\":\"caf\u00e9\"}");
        write(dir.resolve("several.bin"), several);

        // Keys Kafka ignores with a warning, next to one it keeps.
        Map<byte[], byte[]> skipped = new HashMap<>();
        put(skipped, "[\"ok\",{\"p\":1}]", "{\"o\":2}");
        put(skipped, "[\"only-a-name\"]", "{\"o\":3}");
        put(skipped, "{\"not\":\"a list\"}", "{\"o\":4}");
        put(skipped, "[42,{\"p\":1}]", "{\"o\":5}");
        put(skipped, "[\"no-partition\",null]", "{\"o\":6}");
        put(skipped, "not json", "{\"o\":7}");
        put(skipped, "[\"bad-offset\",{\"p\":1}]", "[1,2]");
        skipped.put(null, "{\"o\":8}".getBytes(StandardCharsets.UTF_8));
        write(dir.resolve("skipped.bin"), skipped);
    }

    private static void put(Map<byte[], byte[]> m, String key, String value) {
        m.put(key.getBytes(StandardCharsets.UTF_8), value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(Path path, Map<byte[], byte[]> m) throws IOException {
        try (ObjectOutputStream out = new ObjectOutputStream(new FileOutputStream(path.toFile()))) {
            out.writeObject(m);
        }
    }
}
