package dev.memtrace.run;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows the log for the few facts the exit status rests on: which pid is the traced program,
 * whether its first execve failed (126/127), and how it ended ({@code +++ exited with N +++} or
 * {@code +++ killed by SIGX +++}, which becomes 128+N). Deliberately shallow: it looks at the text
 * only where these shapes can appear and does not need the parser.
 */
final class ExitTracker {

  /** x86_64 signal numbers (signal(7)); strace prints real-time signals as SIGRTMIN, SIGRT_n. */
  private static final Map<String, Integer> SIGNALS =
      Map.ofEntries(
          Map.entry("SIGHUP", 1),
          Map.entry("SIGINT", 2),
          Map.entry("SIGQUIT", 3),
          Map.entry("SIGILL", 4),
          Map.entry("SIGTRAP", 5),
          Map.entry("SIGABRT", 6),
          Map.entry("SIGBUS", 7),
          Map.entry("SIGFPE", 8),
          Map.entry("SIGKILL", 9),
          Map.entry("SIGUSR1", 10),
          Map.entry("SIGSEGV", 11),
          Map.entry("SIGUSR2", 12),
          Map.entry("SIGPIPE", 13),
          Map.entry("SIGALRM", 14),
          Map.entry("SIGTERM", 15),
          Map.entry("SIGSTKFLT", 16),
          Map.entry("SIGCHLD", 17),
          Map.entry("SIGCONT", 18),
          Map.entry("SIGSTOP", 19),
          Map.entry("SIGTSTP", 20),
          Map.entry("SIGTTIN", 21),
          Map.entry("SIGTTOU", 22),
          Map.entry("SIGURG", 23),
          Map.entry("SIGXCPU", 24),
          Map.entry("SIGXFSZ", 25),
          Map.entry("SIGVTALRM", 26),
          Map.entry("SIGPROF", 27),
          Map.entry("SIGWINCH", 28),
          Map.entry("SIGIO", 29),
          Map.entry("SIGPWR", 30),
          Map.entry("SIGSYS", 31),
          Map.entry("SIGRTMIN", 32));

  private static final Pattern EXITED = Pattern.compile("\\+\\+\\+ exited with (\\d+) \\+\\+\\+$");
  private static final Pattern KILLED = Pattern.compile("\\+\\+\\+ killed by (SIG\\w+)");
  private static final Pattern EXEC_ERROR = Pattern.compile("\\) += -1 (E[A-Z0-9]+) ");

  private int rootPid;
  private boolean execveSeen;
  private ExitCode execFailure;
  private String execErrno;
  private Integer status;
  private String ended;
  private int lines;
  private int rootLines;

  ExitTracker(Integer attachPid) {
    this.rootPid = attachPid == null ? -1 : attachPid;
    this.execveSeen = attachPid != null;
  }

  void accept(String text) {
    lines++;
    int pid = FifoReader.leadingPid(text);
    if (rootPid < 0) {
      rootPid = pid;
    }
    if (pid != rootPid) {
      return;
    }
    rootLines++;
    if (!execveSeen && text.contains(" execve(")) {
      execveSeen = true;
      Matcher m = EXEC_ERROR.matcher(text);
      if (m.find()) {
        execErrno = m.group(1);
        execFailure = "ENOENT".equals(execErrno) ? ExitCode.NOT_FOUND : ExitCode.NOT_EXECUTABLE;
      }
      return;
    }
    if (text.endsWith("+++")) {
      Matcher exited = EXITED.matcher(text);
      Matcher killed = KILLED.matcher(text);
      if (exited.find()) {
        status = Integer.parseInt(exited.group(1));
        ended = "exited with " + exited.group(1);
      } else if (killed.find()) {
        status = ExitCode.killedBy(signalNumber(killed.group(1)));
        ended = "was killed by " + killed.group(1);
      }
    }
  }

  static int signalNumber(String name) {
    Integer n = SIGNALS.get(name);
    if (n != null) {
      return n;
    }
    if (name.startsWith("SIGRT_")) {
      try {
        return 32 + Integer.parseInt(name.substring(6));
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  int lines() {
    return lines;
  }

  /** 126 or 127 when the program's own execve failed, else null. */
  ExitCode execFailure() {
    return execFailure;
  }

  String execErrno() {
    return execErrno;
  }

  /**
   * Whether the program's only line is its exit, with status 1, before any execve: what strace's
   * child leaves when it dies before it can exec COMMAND (strace 6.1 exits it with 1 when {@code
   * ptrace(PTRACE_TRACEME)} is refused). A program that ran shows its execve first.
   */
  boolean diedBeforeExecve() {
    return !execveSeen && rootLines == 1 && status != null && status == 1;
  }

  /** How the program ended, as the log says it ("exited with 3"), or null while it runs. */
  String ended() {
    return ended;
  }

  /** The program's status as the log reports it, or null when the log does not say. */
  Integer status() {
    return status;
  }
}
