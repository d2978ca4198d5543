package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A mapping a thread made while another thread's munmap of that range was still running keeps its
 * tag: the model keeps it (its line came first), so the explanations must too.
 */
class ReusedDuringUnmapTest {

  @Test
  void aThreadStackPlacedInAReservationBeingTrimmedStaysAThreadStack() {
    // memcached 1.6.18, -t 4: a worker thread reserves 128 MiB for its malloc arena and trims the
    // head while the main thread's pthread_create maps the next stack in that head; strace shows
    // the
    // stack's mmap first. The stack's mprotect read 'changes 8388608 bytes of an anonymous region
    // (reserved (PROT_NONE), ...)' and its rw part was an [anonymous mmap]
    String log =
        """
        681 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|\
        CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, exit_signal=0, stack=0x7f6fc981c000, \
        stack_size=0x7fff80} => {parent_tid=[684]}, 88) = 684
        684 mmap(NULL, 134217728, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7f6fc1800000
        681 mmap(NULL, 8392704, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f6fc37ff000
        684 munmap(0x7f6fc1800000, 41943040) = 0
        681 mprotect(0x7f6fc3800000, 8388608, PROT_READ|PROT_WRITE) = 0
        """;
    Run.Out out = Run.explain(log);
    assertThat(out.why(5))
        .startsWith(
            "makes the thread stack made at line 3 usable: 8388608 bytes RW from 0x7f6fc3800000");
  }
}
