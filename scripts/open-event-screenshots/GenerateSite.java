import dev.buildcast.generator.JobContext;
import dev.buildcast.generator.openevent.OpenEventSiteGenerator;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the open-event-site generator once, outside a server: {@code GenerateSite EXPORT.zip WORKDIR
 * [LANGUAGE]} leaves the site in {@code WORKDIR/work/site}; {@code --demo} instead of a zip uses
 * the made-up {@link DemoExport}. Basic log lines go to standard output.
 */
public class GenerateSite {
  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[1]);
    Path zip = args[0].equals("--demo") ? DemoExport.write(root.resolve("demo-export.zip")) : Path.of(args[0]);
    Path work = Files.createDirectories(root.resolve("work"));
    Path out = Files.createDirectories(root.resolve("output"));
    LogSink log = new LogSink() {
      @Override public void append(LogLevel level, String text) {
        if (level != LogLevel.DETAIL) System.out.println("  [" + level.wireName() + "] " + text);
      }
      @Override public void progress(int percentage) {}
      @Override public void mask(String secret) {}
    };
    Map<String, String> params = args.length > 2 ? Map.of("language", args[2]) : Map.of();
    int code = new OpenEventSiteGenerator().run(new JobContext("screenshots", work, out, Optional.of(zip), params, log, "local"));
    if (code != 0) throw new IllegalStateException("the generator exited with " + code);
  }
}
