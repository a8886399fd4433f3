// Asks event-ruler about pattern/event pairs: reads JSON lines {"id", "group", "pattern",
// "event"} on stdin and writes each back with event-ruler's answer: "answer" is "match",
// "no_match", "invalid_pattern" (with "reason", the message of the exception addRule threw)
// or "invalid_event". The answer is the one of rulesForJSONEvent with the default machine
// (StructuredFinder since 2.0); "ac_finder" is added only when the older ACFinder answers
// otherwise. This file is this project's own code; it only calls event-ruler's public API.
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.event.ruler.Machine;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public class Driver {
    private static String[] answer(String pattern, String event, boolean structured) {
        Machine machine = Machine.builder().withStructuredMatching(structured).build();
        try {
            machine.addRule("rule", pattern);
        } catch (JsonProcessingException e) {
            return new String[] {"invalid_pattern", e.getOriginalMessage()};
        } catch (Exception e) {
            return new String[] {"invalid_pattern", e.getMessage()};
        }
        try {
            return new String[] {machine.rulesForJSONEvent(event).isEmpty() ? "no_match" : "match", null};
        } catch (Exception e) {
            return new String[] {"invalid_event", e.getClass().getSimpleName()};
        }
    }

    public static void main(String[] args) throws Exception {
        ObjectMapper json = new ObjectMapper();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            ObjectNode row = (ObjectNode) json.readTree(line);
            String pattern = row.get("pattern").asText();
            String event = row.get("event").asText();
            String[] structured = answer(pattern, event, true);
            row.put("answer", structured[0]);
            if (structured[1] != null) {
                row.put("reason", structured[1]);
            }
            String[] legacy = answer(pattern, event, false);
            if (!legacy[0].equals(structured[0])) {
                row.put("ac_finder", legacy[0]);
            }
            out.println(json.writeValueAsString(row));
        }
    }
}
