// Prints what java.util.Properties.load(InputStream) reads from each file
// given, for the golden files next to this one: one "key<TAB>value" line per
// entry, sorted, with every character outside printable ASCII (and the
// backslash) written as backslash-u and four hex digits of its UTF-16 unit. A load error prints
// "error". Run: java JavaLoad.java *.properties (Java 11 or later).
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;

public class JavaLoad {
    static String esc(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    public static void main(String[] args) throws Exception {
        for (String name : args) {
            String golden = name.replaceAll("\\.properties$", ".golden");
            try (PrintStream out = new PrintStream(Files.newOutputStream(Paths.get(golden)), false, "US-ASCII")) {
                Properties p = new Properties();
                try (InputStream in = new FileInputStream(name)) {
                    p.load(in);
                } catch (IllegalArgumentException e) {
                    out.print("error\n");
                    continue;
                }
                List<String> lines = new ArrayList<>();
                for (Map.Entry<Object, Object> e : p.entrySet()) {
                    lines.add(esc((String) e.getKey()) + "\t" + esc((String) e.getValue()));
                }
                Collections.sort(lines);
                for (String l : lines) {
                    out.print(l + "\n");
                }
            }
        }
    }
}
