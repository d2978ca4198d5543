package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The summary names every process the log shows, each under its own pid and program. Logs made on
 * Debian 12 with strace 6.1, Linux 6.18, trimmed.
 */
class SummaryProcessesTest {

  static String log(String name) throws Exception {
    return Path.of(SummaryProcessesTest.class.getResource("/logs-extra/" + name).toURI())
        .toString();
  }

  /**
   * src/test/resources/live/thread_execve.c under strace -f -tt -T -y writing to stderr: the second
   * thread 14080 calls execve, strace prints "+++ superseded by execve in pid 14080 +++", and, one
   * task being left, the lines after it without a pid. de_thread gave the thread the leader's pid
   * 14079 (execve(2)): those lines are /bin/echo's, in process 14079, whose execve the log shows.
   */
  @Test
  void aThreadsExecveLeavesTheLeadersPidRunningTheNewProgram() throws Exception {
    String log = log("thread_execve_f_stderr.log");
    Cli summary = Cli.run("analyze", "--summary", log);
    assertThat(summary.status()).as(summary.err()).isZero();
    assertThat(summary.out())
        .contains("process 14079 echo: ")
        .doesNotContain("texec")
        .doesNotContain("the program:")
        .doesNotContain("14080")
        // strace -f followed the thread: its pids show from its first line on
        .doesNotContain("shows no pids");
    Cli text = Cli.run("analyze", "--color", "never", log);
    String brk = text.out().substring(text.out().indexOf("  24: "));
    brk = brk.substring(0, brk.indexOf("  25: "));
    assertThat(brk)
        .contains("the first brk(0) of a fresh address space")
        .doesNotContain("was not seen starting")
        .doesNotContain("does not show this process start");
    // --pid and maps find those lines under the leader's pid too
    Cli only = Cli.run("analyze", "--color", "never", "--pid", "14079", log);
    assertThat(only.out()).contains("  24: ").contains("  29: ");
    Cli maps = Cli.run("maps", "--at", "29", log);
    assertThat(maps.out())
        .startsWith("# line 29 pid 14079\n")
        .contains("7f2eb2e61000-7f2eb2e63000 rw-p")
        .doesNotContain("no address space known");
  }

  /**
   * sh -c '(exit 3); /tmp/exit0; true' under strace -f -tt -T -y: the subshell 6904 is forked at
   * line 49 and only exits; 6905 (vfork) runs execve of a static program that only calls exit. The
   * log shows no memory call of either; the summary left both out.
   */
  @Test
  void processesWithoutMemoryCallsAreInTheSummaryWithWhatTheyHold() throws Exception {
    String log = log("sh_subshell_static_child.log");
    Cli r = Cli.run("analyze", "--summary", "--no-elf", log);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "\nprocess 6904 sh: 2.03 MiB at the end in 9 regions (regions the trace or its"
                + " snapshots show)\n  the log shows no memory call of it: what it holds is the copy"
                + " of process 6903's address space that the fork at line 49 made\n")
        .contains(
            "\nprocess 6905 exit0: no region the trace or its snapshots show\n  the log shows no"
                + " memory call of it: its memory is what its execve at line 61 mapped, which the"
                + " kernel does itself")
        .containsPattern("process 6903 sh: [^\n]*; peak 2.05 MiB at line 37");
    // no peak of their own, no peak line 0
    assertThat(r.out()).doesNotContain("at line 0");

    Cli j = Cli.run("analyze", "--summary", "--no-elf", "--format", "jsonl", log);
    JsonNode spaces = new ObjectMapper().readTree(j.out()).get("spaces");
    assertThat(spaces).hasSize(3);
    assertThat(spaces.get(0).get("memory_events").asInt()).isPositive();
    assertThat(spaces.get(0).get("notes")).isEmpty();
    assertThat(spaces.get(1).get("pids").get(0).asInt()).isEqualTo(6904);
    assertThat(spaces.get(1).get("memory_events").asInt()).isZero();
    assertThat(spaces.get(1).get("notes").get(0).asText())
        .startsWith("the log shows no memory call of it: what it holds is the copy");
    assertThat(spaces.get(2).get("program").asText()).isEqualTo("exit0");
    assertThat(spaces.get(2).get("end").get("total").asLong()).isZero();
  }

  /**
   * A program whose two pthreads malloc 200000 bytes four times each (in their own arenas), under
   * strace -tt -T -y without -f: the log is the main thread's alone. The summary's figures hold
   * only what that task mapped; it said nothing of the threads it did not follow.
   */
  @Test
  void aLogWithoutFSaysOnceThatTheThreadsMemoryIsNotInTheFigures() throws Exception {
    Cli r = Cli.run("analyze", "--summary", "--no-elf", log("threads_malloc_no_f.log"));
    assertThat(r.status()).as(r.err()).isZero();
    String note =
        "  the clone at line 38 made a thread that shares this address space, but the log shows no"
            + " pids: strace followed only this task, as it does without -f (or this is one file of"
            + " an -ff set), so what the other threads mapped (their malloc arenas, their own"
            + " mmaps) is not in these figures\n";
    assertThat(r.out()).containsOnlyOnce(note);
    assertThat(r.out()).containsPattern("process 12262 thr: [^\n]*\n" + Pattern.quote(note));
    // the thread stacks are read-write at the end, 8 MiB PROT_NONE at the peak: none reads "-"
    assertThat(r.out())
        .contains(
            "  thread stack                       16 MiB       2      8 MiB     16.0 MiB       2"
                + "   8.00 MiB\n    of it PROT_NONE                       -                       "
                + " 8.00 MiB");
  }

  /**
   * The same program under strace -f: each thread's first malloc reserves 128 MiB PROT_NONE, keeps
   * a 64 MiB-aligned half as its arena heap and mprotects only what it uses read-write (glibc's
   * new_heap, alloc_new_heap). The summary's sizes count the reservations as if they were memory
   * ("malloc arena 128 MiB"); now it says how much of each figure is PROT_NONE.
   */
  @Test
  void theSummarySaysHowMuchOfItsSizesIsProtNone() throws Exception {
    String log = log("threads_malloc_f_arenas.log");
    Cli r = Cli.run("analyze", "--summary", "--no-elf", log);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "\n  PROT_NONE among them: 128 MiB at the end, 192 MiB at the peak (reserved address"
                + " space, which no access may touch: a page there holds memory only if it was"
                + " touched before an mprotect made it PROT_NONE)\n")
        .containsPattern(
            "\n  malloc arena +128 MiB +4 +63.9 MiB +64 MiB +1 +64 MiB\n"
                + "    of it PROT_NONE +128 MiB +64 MiB +\n")
        // a guard page is all PROT_NONE, and its label says what it is
        .containsPattern("\n  guard page [^\n]*\n  reserved \\(PROT_NONE\\)");

    Cli j = Cli.run("analyze", "--summary", "--no-elf", "--format", "jsonl", log);
    JsonNode end = new ObjectMapper().readTree(j.out()).get("spaces").get(0).get("end");
    assertThat(end.get("total").asLong()).isEqualTo(153_133_056L);
    assertThat(end.get("reserved").asLong()).isEqualTo(133_955_584L);
    JsonNode arena = end.get("classes").get("malloc arena");
    assertThat(arena.get("size").asLong()).isEqualTo(134_217_728L);
    assertThat(arena.get("reserved").asLong()).isEqualTo(133_947_392L);
    assertThat(end.get("classes").get("guard page").get("reserved").asLong()).isEqualTo(8192);
  }

  /**
   * sh -c 'echo hi; (exit 2)' under strace -f -e trace=read,write,exit_group, the write held 20 ms
   * (-e inject=write:delay_exit=20000) while its /proc/PID/maps was read into a snapshot, trimmed
   * to the shell's lines: no execve, no memory call. Without the snapshot nothing tells what it
   * holds; with it the regions it lists are the figures, and the note does not call them unknown.
   */
  @Test
  void aProcessMetMidwayWithoutMemoryCallsIsUnknownUnlessASnapshotShowsIt() throws Exception {
    String log = log("sh_filtered_read_write.log");
    Cli bare = Cli.run("analyze", "--summary", log);
    assertThat(bare.out())
        .contains(
            "\nprocess 32413 the program: no region the trace or its snapshots show\n"
                + "  the log shows no memory call of it, nor its start: what it holds is unknown\n");
    Cli seen =
        Cli.run(
            "analyze", "--summary", "--snapshots", log("sh_filtered_read_write.maps.jsonl"), log);
    assertThat(seen.status()).as(seen.err()).isZero();
    assertThat(seen.out())
        .contains(
            "\nprocess 32413 the program: 2.54 MiB at the end in 25 regions (regions the trace or its"
                + " snapshots show)\n  the log shows no memory call of it, nor its start\n")
        .doesNotContain("unknown");
  }

  /**
   * firefox-esr --headless --screenshot under strace -f -tt -T -y, trimmed: the forkserver 22338
   * (firefox-esr -contentproc ... forkserver) and its child 22342 fork at once, and the new pid
   * 22346 prints lines among those of the parent firefox-esr 22272 and its IPC thread 22324 before
   * 22338's clone returns it. Which fork made it the log does not tell yet, so the explain stage
   * lets it share the space seen last, 22272's, for the time being; its second line joined that
   * space for good, and the summary read "pids 22272, 22346 firefox-esr" over the parent's memory,
   * as if the forkserver's child were a task of the parent browser.
   */
  @Test
  void aChildMetWhileForksWereInFlightIsNotCountedInTheSpaceItWasGuessedInto() throws Exception {
    String log = log("firefox_forkserver_child_midway.log");
    Cli r = Cli.run("analyze", "--summary", "--no-elf", log);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .doesNotContain("pids 22272, 22346")
        .contains("\nprocess 22272 firefox-esr: ")
        .containsPattern("\nprocess 22346 firefox-esr: 8.01 MiB at the end in 3 regions");
    Cli j = Cli.run("analyze", "--summary", "--no-elf", "--format", "jsonl", log);
    JsonNode spaces = new ObjectMapper().readTree(j.out()).get("spaces");
    assertThat(spaces.get(0).get("pids").toString()).isEqualTo("[22272]");
  }
}
