package dev.memtrace.explain;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HotSpot options the trace shows, and so which garbage collector they choose. HotSpot reads
 * JAVA_TOOL_OPTIONS, then the launcher's arguments (execve's, with JDK_JAVA_OPTIONS put before
 * them), then _JAVA_OPTIONS (Arguments::parse_each_vm_init_arg); a variable it took it reports on
 * standard error ("Picked up JAVA_TOOL_OPTIONS: ...", "NOTE: Picked up JDK_JAVA_OPTIONS: ..."). Two
 * different {@code -XX:+Use...GC} options make the JVM refuse to start ("Conflicting collector
 * combinations in option list"), so one named anywhere is the collector.
 */
final class JvmOptions {

  private static final Pattern USE_GC =
      Pattern.compile("-XX:\\+Use(G1|Parallel|Serial|Z|Shenandoah|Epsilon)GC\\b");

  /** An option taken from a place the trace does not show: an @argfile or an options file. */
  private static final Pattern ELSEWHERE = Pattern.compile("\"@[^\"]|\"-XX:(Flags|VMOptionsFile)=");

  /** The variables HotSpot and the java launcher take options from, as strace -v shows envp. */
  private static final Pattern IN_ENV =
      Pattern.compile(
          "\"((?:JAVA_TOOL|_JAVA|JDK_JAVA)_OPTIONS)=((?:[^\"\\\\]|\\\\.)*)\"(\\.\\.\\.)?");

  /** What the JVM reports on standard error for each variable it took options from. */
  private static final Pattern PICKED_UP =
      Pattern.compile("^\"(?:NOTE: )?Picked up ((?:JAVA_TOOL|_JAVA|JDK_JAVA)_OPTIONS): ");

  private String named;

  /** Where options came from that the trace does not show whole, for the sentence; or null. */
  private String unseen;

  JvmOptions() {}

  JvmOptions(JvmOptions from) {
    named = from.named;
    unseen = from.unseen;
  }

  /** Reads execve's argument vector and, when strace -v printed it, its environment. */
  void exec(String argv, String envp) {
    take(argv);
    if (ELSEWHERE.matcher(argv).find()) {
      unknown("an @argfile or -XX:Flags file");
    }
    if (envp != null && envp.startsWith("[")) {
      Matcher m = IN_ENV.matcher(envp);
      while (m.find()) {
        taken(m.group(1), m.group(2), m.group(3) != null);
      }
    }
  }

  /**
   * Reads a write to standard error: the JVM's "Picked up" line names the variable and, unless
   * strace -s cut the string, its whole value.
   */
  void stderr(String buffer) {
    if (buffer == null) {
      return;
    }
    Matcher m = PICKED_UP.matcher(buffer);
    if (m.find()) {
      String rest = buffer.substring(m.end());
      boolean cut = buffer.endsWith("\"...");
      taken(m.group(1), rest, cut);
    }
  }

  private void taken(String variable, String value, boolean cut) {
    take(value);
    if (cut) {
      unknown(variable + " (strace -s cut its value)");
    }
  }

  private void take(String text) {
    Matcher m = USE_GC.matcher(text);
    while (m.find()) {
      named = m.group(1);
    }
  }

  private void unknown(String source) {
    if (unseen == null) {
      unseen = source;
    }
  }

  /**
   * The collector an option named ("G1", "Parallel", "Serial", "Z", "Shenandoah", "Epsilon"), or
   * null when none the trace shows names one.
   */
  String collector() {
    return named;
  }

  /**
   * Why the trace cannot rule out another collector when no option named one: options it does not
   * show whole, or (null) none; then HotSpot's ergonomics chose (GCConfig::select_gc_ergonomically:
   * G1 on a server-class machine, two or more CPUs and about 2 GiB or more, else Serial).
   */
  String unseen() {
    return unseen;
  }
}
