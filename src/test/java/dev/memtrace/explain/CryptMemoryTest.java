package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What security tools lock, wipe and size, traced on Debian 12 (Linux 6.18, glibc 2.36) with strace
 * -f -tt -T -y and cut to the lines that matter: cryptsetup 2.6.1's luksOpen and luksFormat,
 * gpg-agent 2.2.40 (libgcrypt 1.10's secmem) and fk.c, a fork under mlockall.
 */
class CryptMemoryTest {

  private static Path log(String name) throws Exception {
    return Path.of(CryptMemoryTest.class.getResource("/logs-extra/" + name).toURI());
  }

  @Test
  void anUnalignedMlockCoversOnlyTheWholePagesItTouches() throws Exception {
    // cryptsetup luksOpen --test-passphrase --key-file - disk.img: crypt_safe_alloc mallocs its
    // 256000-byte key buffer with a 16-byte header (a 258048-byte mmapped chunk right below
    // LC_CTYPE) and mlocks the malloc'd 256016 bytes from 16 bytes in. do_mlock rounds the start
    // down and PAGE_ALIGN(len + offset_in_page(start)) the length: 258048 bytes, the chunk and not
    // one page of LC_CTYPE above it
    Run.Out out = Run.explain(log("cryptsetup_safe_alloc_mlock.log"));
    assertThat(out.why(11))
        .startsWith("locks 258048 bytes of the 258048-byte malloc chunk made at line 10")
        .contains("(the range widened to whole pages)")
        .doesNotContain("LC_CTYPE");
    assertThat(out.why(14))
        .startsWith("unlocks 258048 bytes of the 258048-byte malloc chunk made at line 10")
        .doesNotContain("LC_CTYPE");
    // 4096 bytes from 0x...d590 reach into the next page: two pages of [heap] are locked
    assertThat(out.why(9))
        .startsWith("locks 8192 bytes of the [heap]")
        .contains("munmap, a brk that moves the break below it");
  }

  @Test
  void aReadAfterALseekIsNotToldAsFreadPastItsFileBuffer() throws Exception {
    // cryptsetup luksFormat: libblkid probes disk.img with lseek and read; its read_buffer
    // (libblkid/src/probe.c) lseeks, callocs a header and the 262144 bytes in one chunk (266240
    // bytes mapped) and reads into the bytes after the header. The 1024-byte read before the lseek
    // tells nothing of a stdio FILE buffer: a seek empties it
    Run.Out out = Run.explain(log("cryptsetup_blkid_probe_lseek.log"));
    assertThat(out.why(10))
        .contains("fits a buffer for cryptsetup's 262144-byte read at line 11")
        .contains("what else the program allocated with it (an object header)")
        .doesNotContain("stdio's fread")
        .doesNotContain("1024-byte");
  }

  @Test
  void aForkChildIsToldThatItsCopyOfLockedMemoryIsNotLocked() throws Exception {
    // gpg --symmetric starting gpg-agent --daemon: libgcrypt's init_pool maps the 64 KiB secure
    // pool and lock_pool_pages mlocks it, then the agent forks into its daemon and the parent
    // exits: dup_mmap clears VM_LOCKED, so the daemon's pool, where it keeps its secrets, is not
    // locked
    Run.Out out = Run.explain(log("gpg_agent_secmem_fork.log"));
    assertThat(out.why(9))
        .contains(
            "What the parent has locked (64 KiB: the 65536-byte anonymous mapping made at line 6)"
                + " is not locked in the child's copy (dup_mmap clears VM_LOCKED")
        .doesNotContain("MCL_FUTURE");
    assertThat(out.at(9).why().get(0).evidence()).contains("64 KiB locked in the parent");
  }

  @Test
  void aForkChildDoesNotInheritMclFuture() throws Exception {
    // fk.c: mlock of a 64 KiB mapping, mlockall(MCL_FUTURE), [heap] made after it (locked), then
    // fork; /proc/self/status showed VmLck 196 kB in the parent and 0 kB in the child after its
    // 1 MiB mmap: mm_init keeps no VM_LOCKED of the parent's mm->def_flags
    Run.Out out = Run.explain(log("mlockall_future_fork.log"));
    assertThat(out.why(10))
        .contains("What the parent has locked (196 KiB: the [heap] made at line 8")
        .contains("the 65536-byte anonymous mapping made at line 4")
        .contains("the mlockall(MCL_FUTURE) of line 6 stays the parent's")
        .contains("the child's later mappings are not locked");
    // the [heap] brk made after mlockall(MCL_FUTURE): brk populates what it adds (132 of the 196
    // kB VmLck showed)
    assertThat(out.why(8))
        .contains(
            "Locked (the mlockall(MCL_FUTURE) of line 6 is in force): brk faults the 135168 bytes"
                + " it adds in now");
    // the child's 1 MiB mmap is not locked (VmLck 0 kB)
    assertThat(out.why(11)).doesNotContain("Locked").doesNotContain("faults all");
  }

  @Test
  void aDroppingMadviseOnMemoryTheModelHoldsLockedIsToldAsRefusedForTheLock() throws Exception {
    // ml.c: mlockall(MCL_CURRENT | MCL_FUTURE), as older cryptsetup's crypt_memlock_inc
    // (lib/utils.c) did, then a thread; its stack (guard included) is made locked, and glibc's
    // advise_stack_range at thread exit gets EINVAL: madvise_dontneed_free_valid_vma refuses
    // VM_LOCKED. The model knows the lock, so the sentence says it, not a list of causes
    Run.Out out = Run.explain(log("mlockall_thread_stack.log"));
    assertThat(out.why(10))
        .startsWith("madvise failed with EINVAL: the range holds locked memory")
        .contains("made at line 7 is VM_LOCKED")
        .contains("the mlockall(MCL_FUTURE) of line 5 was in force")
        .contains("madvise_dontneed_free_valid_vma")
        .doesNotContain("VM_PFNMAP")
        .doesNotContain("inferred");
  }

  @Test
  void memoryMadeUnderMclFutureIsSaidFaultedInWhenItCanBeTouched() throws Exception {
    // ml.c: after mlockall(MCL_CURRENT | MCL_FUTURE) a 64 MiB malloc chunk takes 19.6 ms to map
    // (do_mmap populates a VM_LOCKED mapping), and pthread_create's mprotect of its PROT_NONE
    // stack to RW takes 1.8 ms: mprotect_fixup populates a locked private area made writable
    // (ml2.c: VmRSS 2452 kB before pthread_create, 10644 kB after)
    Run.Out out = Run.explain(log("mlockall_thread_stack.log"));
    assertThat(out.why(6))
        .contains("Locked (every new mapping is, while the mlockall(MCL_FUTURE) of line 5")
        .contains("faults all 67112960 bytes in during the call");
    assertThat(out.at(6).why().get(1).rule()).isEqualTo("locked-populate");
    // PROT_NONE: nothing to fault in
    assertThat(out.why(7)).doesNotContain("faults all");
    assertThat(out.why(8))
        .contains("The range is locked (made at line 7 while the mlockall(MCL_FUTURE) of line 5")
        .contains("mprotect_fixup faults all 8388608 bytes in now");
  }

  @Test
  void mlockallMclCurrentIsNotSaidToLockTheVdso() throws Exception {
    // mc.c: after mlockall(MCL_CURRENT) /proc/self/smaps showed "lo" in [stack]'s VmFlags but not
    // in [vvar]'s, [vvar_vclock]'s or [vdso]'s: mlock_fixup skips VM_SPECIAL areas
    Run.Out out = Run.explain(log("mlockall_thread_stack.log"));
    assertThat(out.why(5))
        .startsWith(
            "locks every mapping the process has now but the kernel's special ones ([vdso],"
                + " [vvar]: mlock_fixup leaves VM_SPECIAL mappings unlocked)");
  }

  @Test
  void theSameAlignedBufferMappedAgainAfterItsFreeIsNotCalledTheProgramsOwn() throws Exception {
    // cryptsetup luksFormat wiping disk.img through O_DIRECT: a 4096-aligned 1 MiB buffer, 1056768
    // bytes mapped (_int_memalign's request plus the alignment), freed, and mapped again at the
    // same size. free() set the threshold to chunksize(p), the mapping less the 4080 lead bytes
    // before the aligned block, so the second buffer is malloc's mmap path again, not a mapping
    // "too small for" it
    Run.Out out = Run.explain(log("cryptsetup_wipe_aligned_buffer.log"));
    assertThat(out.why(12))
        .contains("the size of the malloc chunk whose free() at line 11 raised")
        .contains("aligned_alloc, posix_memalign")
        .contains("The trace does not tell which")
        .doesNotContain("too small for glibc malloc's mmap path");
  }
}
