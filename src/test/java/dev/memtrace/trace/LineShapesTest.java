package dev.memtrace.trace;

import static dev.memtrace.trace.EventAssert.assertThatEvent;
import static dev.memtrace.trace.EventAssert.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** One test per line shape of strace-format.md, with lines written as strace writes them. */
class LineShapesTest {

  @Test
  void resultIsFoundAfterTheListNotAtTheFirstEquals() {
    assertThatEvent(parse("write(1, \"x = 1) = 2\\n\", 11)         = 11"))
        .isSyscall("write")
        .hasArgs("1", "\"x = 1) = 2\\n\"", "11")
        .returns(11);
    assertThatEvent(parse("wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 3910"))
        .isSyscall("wait4")
        .hasArgs("-1", "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]", "0", "NULL")
        .returns(3910);
  }

  @Test
  void returnForms() {
    assertThatEvent(parse("brk(NULL)                               = 0x563f5f79e000"))
        .returns(0x563f5f79e000L);
    assertThatEvent(parse("umask(027)                              = 022")).returns(18);
    assertThatEvent(parse("exit_group(0)                           = ?")).returnsText("?");
    assertThatEvent(
            parse(
                "openat(AT_FDCWD</home/user/corpus/work>, \"/dev/null\", O_WRONLY) = 12</dev/null<char 1:3>>"))
        .returns(12)
        .returnsText("12</dev/null<char 1:3>>")
        .hasArgs("AT_FDCWD</home/user/corpus/work>", "\"/dev/null\"", "O_WRONLY");
    assertThatEvent(parse("read(0x3, 0x7ffda2e68bc8, 0x340)        = 0x340")).returns(0x340);
  }

  @Test
  void errorsAuxAndNotes() {
    SyscallEvent e =
        (SyscallEvent)
            parse(
                "access(\"/etc/ld.so.preload\", R_OK)      = -1 ENOENT (No such file or directory)");
    assertThat(e.result().errmsg()).isEqualTo("No such file or directory");
    assertThatEvent(e).failsWith("ENOENT").returns(-1);
    SyscallEvent restart =
        (SyscallEvent)
            parse(
                "2985  <... read resumed>0x7ffde228e2c3, 1) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)");
    assertThat(restart.result().errno()).isEqualTo("ERESTARTSYS");
    SyscallEvent noName =
        (SyscallEvent)
            parse(
                "syscall_0x3e8(0x1, 0x2, 0x3, 0, 0x7f1bebae46d0, 0) = -1 (errno 4000) (INJECTED)");
    assertThat(noName.result().errmsg()).isEqualTo("errno 4000");
    assertThat(noName.result().notes()).containsExactly("INJECTED");
    assertThat(noName.result().failed()).isTrue();
    SyscallEvent aux =
        (SyscallEvent)
            parse(
                "4585  poll([{fd=4<pipe:[217141]>, events=POLLIN}, {fd=6<anon_inode:[eventfd]>, events=POLLIN|POLLOUT}], 2, 0) = 1 ([{fd=6, revents=POLLOUT}])");
    assertThat(aux.result().aux()).isEqualTo("[{fd=6, revents=POLLOUT}]");
    assertThat(aux.args().texts()).hasSize(3);
    SyscallEvent fl =
        (SyscallEvent)
            parse("fcntl(1, F_GETFL)                       = 0x8001 (flags O_WRONLY|O_LARGEFILE)");
    assertThat(fl.result().aux()).isEqualTo("flags O_WRONLY|O_LARGEFILE");
    SyscallEvent both =
        (SyscallEvent)
            parse(
                "openat(AT_FDCWD, \"/dev/null\", O_WRONLY) = -1 EACCES (Permission denied) (INJECTED)");
    assertThat(both.result().notes()).containsExactly("INJECTED");
    assertThatEvent(both).failsWith("EACCES");
    SyscallEvent delayed =
        (SyscallEvent)
            parse(
                "mmap(0x7f88171b9000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x26000) = 0x7f88171b9000 (DELAYED) <0.000017>");
    assertThat(delayed.result().notes()).containsExactly("DELAYED");
    assertThat(delayed.duration()).isEqualTo(0.000017);
    SyscallEvent args =
        (SyscallEvent) parse("sendto(13, \"JELLO unix\", 10, 0, NULL, 0) = 10 (INJECTED: args)");
    assertThat(args.result().notes()).containsExactly("INJECTED: args");
  }

  @Test
  void prefixes() {
    assertThatEvent(parse("2984  pipe2([3, 4], 0)                  = 0")).hasPid(2984).returns(0);
    assertThatEvent(parse("123456 getpid() = 123456")).hasPid(123456);
    TraceEvent y = parse("1118<python3> 09:00:42.656715 getpid() = 1118");
    assertThatEvent(y).hasPid(1118).hasTime("09:00:42.656715");
    assertThat(y.prefix().comm()).isEqualTo("python3");
    assertThat(y.prefix().seconds()).isEqualTo(9 * 3600 + 42.656715, Offset.offset(1e-9));
    TraceEvent bracket = parse("[pid  1084] rseq(0x7f084b955fe0, 0x20, 0, 0x53053053) = 0");
    assertThatEvent(bracket).hasPid(1084);
    TraceEvent bracketComm = parse("[pid  1084<sh>] getpid() = 1084");
    assertThatEvent(bracketComm).hasPid(1084);
    assertThat(bracketComm.prefix().comm()).isEqualTo("sh");
    TraceEvent tr = parse("09:00:41 (+     0.044117) brk(NULL)     = 0x560022ff6000");
    assertThatEvent(tr).hasTime("09:00:41").isSyscall("brk");
    assertThat(tr.prefix().relative()).isEqualTo(0.044117);
    TraceEvent r = parse("2461       0.000240 getpid() = 2461");
    assertThatEvent(r).hasPid(2461);
    assertThat(r.prefix().relative()).isEqualTo(0.000240);
    assertThat(r.prefix().time()).isNull();
    TraceEvent rAlone = parse("     0.000240 getpid() = 1");
    assertThat(rAlone.prefix().relative()).isEqualTo(0.000240);
    TraceEvent ttt = parse("2216  1795683651.094989 getpid() = 2216");
    assertThatEvent(ttt).hasPid(2216).hasTime("1795683651.094989");
    TraceEvent ns =
        parse(
            "1795683641.510475483 mmap(0x7f03dfeba000, 110592, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x7000) = 0x7f03dfeba000 <0.000016194>");
    assertThatEvent(ns).hasPid(null).hasTime("1795683641.510475483").hasDuration(0.000016194);
    TraceEvent all =
        parse(
            "09:00:41.658474 [  59] [00007f91d6323ad7] execve(\"/bin/ls\", [\"/bin/ls\", \"/home/user/corpus/work\"], 0x7ffceee8b7c0 /* 2 vars */) = 0 <0.000233>");
    assertThat(all.prefix().scno()).isEqualTo(59);
    assertThat(all.prefix().ip()).isEqualTo("00007f91d6323ad7");
    TraceEvent i386 = parse("[  20] [55c6011c91eb] getpid()          = 4626");
    assertThat(i386.prefix().scno()).isEqualTo(20);
    assertThat(i386.prefix().ip()).isEqualTo("55c6011c91eb");
  }

  @Test
  void signalsExitsAndPersonality() {
    TraceEvent sig =
        parse("2985  --- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=2984, si_uid=0} ---");
    assertThat(sig)
        .isInstanceOfSatisfying(
            SignalEvent.class,
            s -> {
              assertThat(s.signal()).isEqualTo("SIGUSR1");
              assertThat(((Arg.Struct) s.siginfo()).get("si_pid").asLong()).hasValue(2984);
            });
    assertThat(parse("2985  --- stopped by SIGSTOP ---"))
        .isInstanceOfSatisfying(SignalEvent.class, s -> assertThat(s.siginfo()).isNull());
    assertThat(parse("+++ killed by SIGSEGV (core dumped) +++"))
        .isInstanceOfSatisfying(
            ExitEvent.class,
            x -> {
              assertThat(x.signal()).isEqualTo("SIGSEGV");
              assertThat(x.coreDumped()).isTrue();
            });
    assertThat(parse("09:00:41.661706 [ 231] [????????????????] +++ exited with 0 +++"))
        .isInstanceOfSatisfying(ExitEvent.class, x -> assertThat(x.status()).isZero());
    assertThat(parse("4231  +++ superseded by execve in pid 4248 +++"))
        .isInstanceOfSatisfying(ExitEvent.class, x -> assertThat(x.execvePid()).isEqualTo(4248));
    assertThatEvent(parse("[  11] [55c6011c91eb] [ Process PID=4626 runs in 32 bit mode. ]"))
        .isNotice(NoticeEvent.Kind.PERSONALITY);
  }

  @Test
  void noticesAndTables() {
    assertThatEvent(parse("strace: Process 4627 attached with 3 threads"))
        .isNotice(NoticeEvent.Kind.ATTACHED)
        .hasPid(4627);
    assertThatEvent(parse("/usr/bin/strace: Process 1 detached"))
        .isNotice(NoticeEvent.Kind.DETACHED);
    assertThatEvent(parse("strace: exec: No such file or directory"))
        .isNotice(NoticeEvent.Kind.STRACE_MESSAGE);
    for (String row :
        List.of(
            "% time     seconds  usecs/call     calls    errors syscall",
            "------ ----------- ----------- --------- --------- ------------------",
            " 93.71    0.117260         577       203        22 futex",
            "  2.07    0.002594          16       157           mmap",
            "100.00    0.125135          95      1311       101 total",
            "System call usage summary for 32 bit mode:")) {
      assertThatEvent(parse(row)).isNotice(NoticeEvent.Kind.SUMMARY);
    }
  }

  @Test
  void summaryWithColumnsChosenByDashU() throws IOException {
    // strace -c -U name,calls,max-time,min-time,avg-time,errors,time-percent,total-time ls
    try (var in = getClass().getResourceAsStream("/logs/ls_c_U.log")) {
      String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      List<TraceEvent> ev = TraceReader.parseAll(text);
      assertThat(ev)
          .hasSizeGreaterThan(10)
          .allSatisfy(e -> assertThatEvent(e).isNotice(NoticeEvent.Kind.SUMMARY));
    }
  }

  @Test
  void restartDetachedAndDecorations() {
    assertThatEvent(
            parse("2984  restart_syscall(<... resuming interrupted clock_nanosleep ...>) = 0"))
        .isSyscall("restart_syscall")
        .hasArgs("<... resuming interrupted clock_nanosleep ...>")
        .returns(0);
    assertThatEvent(
            parse(
                "4627  clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, {tv_sec=713, tv_nsec=329628681},  <detached ...>"))
        .isSyscall("clock_nanosleep")
        .isCompletion(SyscallEvent.Completion.DETACHED) // never returned, and strace says why
        .hasArgs("CLOCK_MONOTONIC", "TIMER_ABSTIME", "{tv_sec=713, tv_nsec=329628681}");
    assertThatEvent(
            parse(
                "close(3</home/user/corpus/work/we ird\\n\\74name\\76\\377\\376\\303\\251.txt>(deleted)) = 0"))
        .hasArgs(
            "3</home/user/corpus/work/we ird\\n\\74name\\76\\377\\376\\303\\251.txt>(deleted)");
    assertThatEvent(parse("close(3</tmp/a(b>) = 0")).hasArgs("3</tmp/a(b>").returns(0);
    assertThatEvent(
            parse(
                "accept4(17<TCP:[127.0.0.1:45219]>, {sa_family=AF_INET, sin_port=htons(43724), sin_addr=inet_addr(\"127.0.0.1\")}, [16], SOCK_CLOEXEC) = 18<TCP:[127.0.0.1:45219->127.0.0.1:43724]>"))
        .returns(18)
        .hasArgs(
            "17<TCP:[127.0.0.1:45219]>",
            "{sa_family=AF_INET, sin_port=htons(43724), sin_addr=inet_addr(\"127.0.0.1\")}",
            "[16]",
            "SOCK_CLOEXEC");
  }

  @Test
  void framesParseFromTheRight() {
    StackFrame cxx =
        Frames.parse(
            "/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so(os::pd_commit_memory_or_exit(char*, unsigned long, unsigned long, bool, char const*)+0x3e) [0xc29d8e]");
    assertThat(cxx.object()).isEqualTo("/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so");
    assertThat(cxx.symbol())
        .isEqualTo(
            "os::pd_commit_memory_or_exit(char*, unsigned long, unsigned long, bool, char const*)");
    assertThat(cxx.symbolOffset()).isEqualTo(0x3e);
    assertThat(cxx.offset()).isEqualTo(0xc29d8e);
    StackFrame none = Frames.parse("/usr/lib/jvm/java-17-openjdk-amd64/bin/java() [0x1206]");
    assertThat(none.symbol()).isNull();
    assertThat(none.object()).isEqualTo("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
    StackFrame err = Frames.parse("unexpected_backtracing_error [0x7f00]");
    assertThat(err.object()).isEqualTo("unexpected_backtracing_error");
  }

  @Test
  void rareEndings() {
    SyscallEvent gone =
        (SyscallEvent)
            parse("4231  futex(0x7f9c38de6990, FUTEX_WAIT, 0, NULL <unfinished ...>) = ?");
    assertThatEvent(gone).hasArgs("0x7f9c38de6990", "FUTEX_WAIT", "0", "NULL").returnsText("?");
    SyscallEvent unavailable = (SyscallEvent) parse("read(3, 0x7ffd, 832) = ? <unavailable>");
    assertThat(unavailable.duration()).isNull();
    assertThat(unavailable.result().text()).isEqualTo("?");
    SyscallEvent secs = (SyscallEvent) parse("nanosleep({tv_sec=1, tv_nsec=0}, NULL) = 0 <1>");
    assertThat(secs.duration()).isEqualTo(1.0);
    SyscallEvent both =
        (SyscallEvent)
            parse(
                "openat(AT_FDCWD, \"/x\", O_RDONLY) = -1 ERECALLCONFLICT (Unknown error 530) (INJECTED) (DELAYED) <0.000005>");
    assertThat(both.result().errno()).isEqualTo("ERECALLCONFLICT");
    assertThat(both.result().errmsg()).isEqualTo("Unknown error 530");
    assertThat(both.result().notes()).containsExactly("INJECTED", "DELAYED");
    assertThat(both.duration()).isEqualTo(0.000005);
    TraceEvent ms = parse("1795683641.509 getpid() = 1");
    assertThat(ms.prefix().seconds()).isEqualTo(1795683641.509, Offset.offset(1e-6));
    TraceEvent wholeSeconds = parse("2216  1795683641 getpid() = 2216");
    assertThatEvent(wholeSeconds).hasPid(2216).hasTime("1795683641");
  }

  @Test
  void pidChangedKeepsTheLeaderPid() {
    LineParser parser = new LineParser("spawn_ff.722");
    Piece thread =
        parser.parse(
            "12:11:08.885144 execve(\"/bin/echo\", [\"/bin/echo\", \"exec from thread\"], "
                + "0x7ffe248a0a48 /* 2 vars */ <pid changed to 695 ...>",
            4);
    assertThat(thread)
        .isInstanceOfSatisfying(
            Piece.Unfinished.class,
            u -> {
              assertThat(u.name()).isEqualTo("execve");
              assertThat(u.newPid()).isEqualTo(695);
              assertThat(u.argsText())
                  .isEqualTo(
                      "\"/bin/echo\", [\"/bin/echo\", \"exec from thread\"], 0x7ffe248a0a48 /* 2 vars */");
              assertThat(u.prefix().time()).isEqualTo("12:11:08.885144");
            });
    assertThat(parser.parse("read(3,  <unfinished ...>", 1))
        .isInstanceOfSatisfying(Piece.Unfinished.class, u -> assertThat(u.newPid()).isNull());
    assertThat(parser.parse("execve(\"/x\", [], 0x1 /* 0 vars */ <pid changed to ? ...>", 1))
        .isInstanceOfSatisfying(Piece.Unfinished.class, u -> assertThat(u.newPid()).isNull());
    // Read alone, the thread's file still ends in an unfinished execve with its arguments.
    assertThatEvent(
            parse(
                "execve(\"/bin/echo\", [\"/bin/echo\"], 0x7ffe /* 2 vars */ <pid changed to 695 ...>"))
        .isSyscall("execve")
        .isCompletion(SyscallEvent.Completion.UNFINISHED)
        .hasArgs("\"/bin/echo\"", "[\"/bin/echo\"]", "0x7ffe /* 2 vars */");
  }

  @Test
  void cutOffLastLineIsAnUnfinishedCall() {
    List<TraceEvent> ev =
        TraceReader.parseAll(
            "nanosleep({tv_sec=0, tv_nsec=1}, NULL) = 0\nclock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=5, tv_nsec=0}, ");
    assertThat(ev).hasSize(2);
    assertThatEvent(ev.get(1))
        .isSyscall("clock_nanosleep")
        .isLine(2)
        .isCompletion(SyscallEvent.Completion.UNFINISHED)
        .hasArgs("CLOCK_REALTIME", "0", "{tv_sec=5, tv_nsec=0}");
  }

  @Test
  void notStraceIsUnparsed() {
    assertThatEvent(parse("hello world")).isUnparsed();
    assertThatEvent(parse("foo(1, 2"))
        .isSyscall("foo")
        .isCompletion(SyscallEvent.Completion.UNFINISHED);
    assertThatEvent(parse("read(3, ]) = 1")).isUnparsed();
    assertThatEvent(parse("read(3) = banana")).isUnparsed();
  }
}
