package dev.memtrace.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memtrace.trace.Arg;
import dev.memtrace.trace.Args;
import dev.memtrace.trace.SignalEvent;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.util.AbstractList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The typed calls: every -X spelling decodes to the same fields, each read once and only if asked.
 */
class CallTest {

  private static TraceEvent event(String line) {
    List<TraceEvent> all = TraceReader.parseAll(line + "\n");
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  private static Call call(String line) {
    return Call.of((SyscallEvent) event(line));
  }

  @Test
  void mmapSpelledWithNamesRawOrVerboseDecodesAlike() {
    for (String line :
        List.of(
            "1 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f00",
            "1 mmap(0, 0x2000, 0x3, 0x22, -1, 0) = 0x7f00",
            "1 mmap(NULL, 8192, 0x3 /* PROT_READ|PROT_WRITE */, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */,"
                + " -1, 0) = 0x7f00")) {
      Mmap m = (Mmap) call(line);
      assertThat(m.addr()).as(line).hasValue(0);
      assertThat(m.length()).as(line).hasValue(8192);
      assertThat(m.prot()).as(line).hasValue(LinuxFlags.PROT_READ | LinuxFlags.PROT_WRITE);
      assertThat(m.flags()).as(line).hasValue(LinuxFlags.MAP_PRIVATE | LinuxFlags.MAP_ANONYMOUS);
      assertThat(m.anonymous()).as(line).isTrue();
      assertThat(m.fd()).as(line).hasValue(-1);
      assertThat(m.offset()).as(line).hasValue(0);
      assertThat(m.ret()).as(line).hasValue(0x7f00);
      assertThat(m.names(2, LinuxFlags.PROT, true))
          .as(line)
          .containsExactly("PROT_READ", "PROT_WRITE");
    }
  }

  @Test
  void rangeCallsReadTheirAddressAndLengthAlike() {
    for (String line :
        List.of(
            "1 munmap(0x7f00, 8192) = 0",
            "1 mprotect(0x7f00, 8192, PROT_READ) = 0",
            "1 mprotect(0x7f00, 0x2000, 0x1) = 0",
            "1 madvise(0x7f00, 8192, MADV_DONTNEED) = 0",
            "1 mlock(0x7f00, 8192) = 0",
            "1 msync(0x7f00, 8192, MS_SYNC) = 0")) {
      Range r = (Range) call(line);
      assertThat(r.addr()).as(line).hasValue(0x7f00);
      assertThat(r.length()).as(line).hasValue(8192);
    }
    assertThat(((Mprotect) call("1 mprotect(0x7f00, 8192, 0x3) = 0")).protNames())
        .containsExactly("PROT_READ", "PROT_WRITE");
    assertThat(((Madvise) call("1 madvise(0x7f00, 8192, 0x4) = 0")).adviceNames())
        .containsExactly("MADV_DONTNEED");
  }

  @Test
  void getrandomSpelledWithNamesOrRaw() {
    for (String line :
        List.of(
            "1 getrandom(\"\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\", 8, GRND_NONBLOCK) = 8",
            "1 getrandom(0x7ffd10, 8, 0x1) = 8")) {
      Getrandom g = (Getrandom) call(line);
      assertThat(g.length()).as(line).hasValue(8);
      assertThat(g.nonblocking()).as(line).isTrue();
    }
    assertThat(((Getrandom) call("1 getrandom(0x7ffd10, 8, 0) = 8")).nonblocking()).isFalse();
  }

  @Test
  void aKernelCopyNamesItsTwoFdsWhateverTheCall() {
    KernelCopy sendfile =
        (KernelCopy) call("1 sendfile(1</dev/pts/0>, 3</etc/passwd>, NULL, 4096) = 10");
    assertThat(sendfile.fromFd()).hasValue(3);
    assertThat(sendfile.fromPath()).isEqualTo("/etc/passwd");
    assertThat(sendfile.toFd()).hasValue(1);
    assertThat(sendfile.toPath()).isEqualTo("/dev/pts/0");
    KernelCopy copy = (KernelCopy) call("1 copy_file_range(3, NULL, 4, NULL, 65536, 0) = 10");
    assertThat(copy.fromFd()).hasValue(3);
    assertThat(copy.toFd()).hasValue(4);
    assertThat(copy.toText()).isEqualTo("4");
    KernelCopy splice = (KernelCopy) call("1 splice(5, NULL, 1, NULL, 65536, SPLICE_F_MOVE) = 10");
    assertThat(splice.fromFd()).hasValue(5);
    assertThat(splice.toFd()).hasValue(1);
  }

  @Test
  void flagNamesAreReadOncePerTableAndBits() {
    Call c = call("1 madvise(0x7f00, 4096, 0x3) = 0");
    // 0x3 is MADV_WILLNEED as a value; as bits it is MADV_RANDOM|MADV_SEQUENTIAL
    assertThat(c.names(2, LinuxFlags.MADVISE, false))
        .isEqualTo(LinuxFlags.MADVISE.namesIn("0x3", false));
    assertThat(c.names(2, LinuxFlags.MADVISE, true))
        .isEqualTo(LinuxFlags.MADVISE.namesIn("0x3", true))
        .isNotEqualTo(c.names(2, LinuxFlags.MADVISE, false));
  }

  @Test
  void aThreadsCloneSpelledWithNamesOrRawHasTheSameFlags() {
    long thread = 0x3d0f00;
    for (String line :
        List.of(
            "1 clone(child_stack=0x7f10, flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND"
                + "|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID"
                + "|CLONE_CHILD_CLEARTID, parent_tid=[2], tls=0x7f20, child_tidptr=0x7f30) = 2",
            "1 clone(child_stack=0x7f10, flags=0x3d0f00, parent_tid=[2], tls=0x7f20,"
                + " child_tidptr=0x7f30) = 2",
            "1 clone3({flags=0x3d0f00, child_tid=0x7f30, parent_tid=0x7f30, exit_signal=0,"
                + " stack=0x7f10, stack_size=0x7fff80, tls=0x7f20} => {parent_tid=[2]}, 88) = 2",
            "1 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD"
                + "|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID,"
                + " child_tid=0x7f30, parent_tid=0x7f30, exit_signal=0, stack=0x7f10,"
                + " stack_size=0x7fff80, tls=0x7f20} => {parent_tid=[2]}, 88) = 2")) {
      Clone c = (Clone) call(line);
      assertThat(c.flags()).as(line).hasValue(thread);
      assertThat(c.child()).as(line).isEqualTo(2);
      assertThat(c.stack()).as(line).hasValue(0x7f10);
    }
    assertThat(((Clone) call("1 fork() = 5")).flags()).hasValue(Clone.FORK_FLAGS);
    assertThat(((Clone) call("1 vfork() = 5")).flags())
        .hasValue(LinuxFlags.CLONE_VM | LinuxFlags.CLONE_VFORK | 17);
  }

  @Test
  void openSpelledWithNamesOrRawAndPlainOpen() {
    for (String line :
        List.of(
            "1 openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3",
            "1 openat(-100, \"/etc/ld.so.cache\", 0x80000) = 3")) {
      Open o = (Open) call(line);
      assertThat(o.dirfd()).as(line).hasValue(LinuxFlags.AT_FDCWD);
      assertThat(o.path()).as(line).isEqualTo("/etc/ld.so.cache");
      assertThat(o.flags()).as(line).hasValue(LinuxFlags.O_CLOEXEC);
    }
    Open plain = (Open) call("1 open(\"x\", O_RDONLY) = 3</tmp/x>");
    assertThat(plain.dirfd()).hasValue(LinuxFlags.AT_FDCWD);
    assertThat(plain.path()).isEqualTo("x");
    assertThat(plain.resultPath()).isEqualTo("/tmp/x");
  }

  @Test
  void buffersFlatAndInIovecs() {
    Transfer raw = (Transfer) call("1 read(3, 0x55d0a000, 4096) = 10");
    assertThat(raw.buffer()).hasValue(0x55d0a000L);
    assertThat(raw.count()).hasValue(4096);
    Transfer data = (Transfer) call("1 read(3, \"abc\", 4096) = 3");
    assertThat(data.buffer()).isEmpty();
    assertThat(data.count()).hasValue(4096);
    Transfer iov =
        (Transfer)
            call(
                "1 writev(1, [{iov_base=\"ab\", iov_len=2}, {iov_base=0x55d0, iov_len=7}], 2) = 9");
    assertThat(iov.buffer()).as("the first iov_base printed as an address").hasValue(0x55d0);
    assertThat(iov.count()).as("the first iov_len").hasValue(2);
  }

  @Test
  void stackLimitByNameOrNumber() {
    for (String line :
        List.of(
            "1 prlimit64(0, RLIMIT_STACK, NULL, {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}) = 0",
            "1 prlimit64(0, 0x3, NULL, {rlim_cur=8388608, rlim_max=18446744073709551615}) = 0")) {
      Rlimit r = (Rlimit) call(line);
      assertThat(r.isStack()).as(line).isTrue();
      assertThat(r.current()).as(line).hasValue(8388608);
    }
    Rlimit unlimited = (Rlimit) call("1 getrlimit(RLIMIT_STACK, {rlim_cur=RLIM64_INFINITY}) = 0");
    assertThat(unlimited.current()).hasValue(-1);
  }

  @Test
  void aFaultsAddressAndCode() {
    Fault f =
        Fault.of(
            (SignalEvent)
                event("1 --- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---"));
    assertThat(f.code()).isEqualTo("SEGV_MAPERR");
    assertThat(f.addr()).hasValue(0x10);
    assertThat(Fault.of((SignalEvent) event("1 --- SIGCHLD {si_signo=SIGCHLD} ---"))).isNull();
  }

  @Test
  void whatIsNoNumberIsEmptyAndSaysNothingElse() {
    Mmap m = (Mmap) call("1 mmap(NULL, lots, PROT_READ|PROT_FOO, MAP_PRIVATE, 3, 0) = 0x7f00");
    assertThat(m.length()).isEqualTo(OptionalLong.empty());
    assertThat(m.prot()).as("a name the table does not hold").isEmpty();
    assertThat(m.flags()).hasValue(LinuxFlags.MAP_PRIVATE);
    assertThat(m.anonymous()).isFalse();
    assertThat(m.num(9)).as("an argument strace did not print").isEmpty();
    Munmap u = (Munmap) call("1 munmap(0x7f00, 08) = 0");
    assertThat(u.length()).as("8 is no octal digit").isEmpty();
  }

  @Test
  void aResultWithNoNumberIsEmptyNeverMinusOne() {
    Call exited = call("1 exit_group(0) = ?");
    assertThat(exited.event().result().value()).isEmpty();
    assertThat(exited.ret()).isEmpty();
    assertThatThrownBy(exited::returned)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exit_group returned no number");
    Call failed =
        call(
            "1 mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 3, 0) = -1 ENOMEM (Cannot allocate memory)");
    assertThat(failed.ret()).as("an error is the number -1 strace printed").hasValue(-1);
    assertThat(call("1 openat(AT_FDCWD, \"/x\", O_RDONLY) = 3</x>").returned()).isEqualTo(3);
  }

  @Test
  void nothingIsReadUntilAskedAndEachArgumentOnce() {
    SyscallEvent e =
        (SyscallEvent)
            event("1 mmap(NULL, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f00");
    int[] reads = new int[6];
    SyscallEvent counted =
        new SyscallEvent(
            e.source(),
            e.prefix(),
            e.name(),
            counting(e.args(), reads),
            e.result(),
            e.duration(),
            e.stack(),
            e.completion());
    Mmap m = (Mmap) Call.of(counted);
    assertThat(reads).containsOnly(0);
    assertThat(m.length()).hasValue(8192);
    assertThat(m.length()).hasValue(8192);
    assertThat(m.anonymous()).isTrue();
    assertThat(m.flags()).hasValue(LinuxFlags.MAP_PRIVATE | LinuxFlags.MAP_ANONYMOUS);
    assertThat(reads).containsExactly(0, 1, 0, 1, 0, 0);
  }

  /** The same arguments, counting how often each one's text is read. */
  private static Args counting(Args args, int[] reads) {
    List<String> texts = args.texts();
    List<String> counted =
        new AbstractList<>() {
          @Override
          public String get(int i) {
            reads[i]++;
            return texts.get(i);
          }

          @Override
          public int size() {
            return texts.size();
          }
        };
    return new Args() {
      @Override
      public String text() {
        return args.text();
      }

      @Override
      public List<String> texts() {
        return counted;
      }

      @Override
      public Arg get(int i) {
        return args.get(i);
      }
    };
  }
}
