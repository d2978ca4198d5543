package dev.memtrace.model;

import static dev.memtrace.decode.LinuxFlags.pageDown;
import static dev.memtrace.decode.LinuxFlags.pageUp;

import dev.memtrace.decode.Execve;
import dev.memtrace.elf.ElfFile;
import dev.memtrace.elf.ElfFiles;
import dev.memtrace.elf.Segment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the kernel maps at execve and the trace never shows being mapped: the program's and its
 * dynamic loader's {@code PT_LOAD} segments, laid out from their ELF headers as load_elf_binary
 * (fs/binfmt_elf.c) lays them out. Each segment becomes a private file mapping from the page
 * holding its first byte to the page after its last file byte, with the segment's permissions; when
 * it takes more memory than file ({@code .bss}), the pages past the file's become an anonymous
 * {@code rw-p} area (vm_brk_flags).
 *
 * <p>Where they go: a program linked at fixed addresses (ET_EXEC) at its link address; a
 * position-independent program and the loader (ET_DYN) at a base the kernel picked at random, which
 * the trace shows only when ld.so makes a segment read-only after relocation (_dl_protect_relro:
 * {@code mprotect(base + RELRO start, RELRO size rounded down, PROT_READ)} on memory no call in the
 * trace mapped). Until then an image waits, unplaced. A base learnt from a first reading of the
 * whole log can be given as a hint, so the image is placed from the execve on.
 */
final class ExecImages {

  private ExecImages() {}

  /** A program or loader the kernel mapped at execve, not yet placed. */
  record Image(String role, ElfFile elf, String kernelPath, int execLine, int tgid) {
    /** The length of the RELRO mprotect ld.so makes for it, or 0 when it makes none. */
    long relroLength() {
      Segment r = elf.relro();
      return r == null ? 0 : pageDown(r.vaddr() + r.memsz()) - pageDown(r.vaddr());
    }

    String hintKey() {
      return tgid + ":" + execLine + ":" + role;
    }
  }

  /** A base the model learnt for an image: for a second reading of the log. */
  record Placement(String key, long bias, int line) {}

  static final String PROGRAM = "program";
  static final String LOADER = "loader";

  /** After execve gave t an empty address space: lays out what the kernel mapped. */
  static Outcome execve(MemoryModel m, Task t, String path, int line) {
    ElfFiles files = m.elfFiles();
    if (files == null || path == null) {
      return Outcome.NONE;
    }
    if (Execve.ownExe(path, t.tid)) {
      // the exec'ing process's own executable (chromium re-executes itself so), when the trace
      // did not show its execve (ProcessCalls resolves the link otherwise): read here, the link
      // would name the reading process's program (memtrace's java), not the traced one
      t.mm.unread.add("program " + path + " (a link to the exec'ing process's own executable)");
      m.elfProblem(
          "the ELF headers of the program "
              + path
              + " are unknown (the link names the exec'ing process's own executable, whose execve"
              + " the trace does not show; read here it would name this program's): what the"
              + " kernel mapped at execve is not shown");
      return Outcome.NONE;
    }
    ElfFiles.Opened prog = files.openProgram(path, t.cwd);
    Path guessed = files.guessedFrom(path, t.cwd);
    if (prog.ok() && guessed != null) {
      m.elfProblem(
          "the program "
              + path
              + " is named relative to a directory the trace does not show at its execve: its ELF"
              + " headers were read from "
              + guessed
              + ", in the directory memtrace runs in, which holds the traced program only when"
              + " the log is read where it was made");
    }
    if (!prog.ok()) {
      t.mm.unread.add("program " + path + " (" + prog.problem() + ")");
      m.elfProblem(
          "the ELF headers of the program "
              + path
              + " are unknown ("
              + prog.problem()
              + "): what the kernel mapped at execve is not shown");
      return Outcome.NONE;
    }
    if (files.script(path, t.cwd)) {
      t.mm.interpreter = prog.kernelPath();
    }
    List<Image> images = new ArrayList<>();
    images.add(new Image(PROGRAM, prog.elf(), prog.kernelPath(), line, t.tgid));
    String interp = prog.elf().interp();
    if (interp != null) {
      ElfFiles.Opened ld = files.open(interp, null);
      if (ld.ok()) {
        images.add(new Image(LOADER, ld.elf(), ld.kernelPath(), line, t.tgid));
      } else {
        t.mm.unread.add("loader " + interp + " (" + ld.problem() + ")");
        m.elfProblem(
            "the ELF headers of the loader "
                + interp
                + " are unknown ("
                + ld.problem()
                + "): where the kernel mapped it is not shown");
      }
    }
    List<RegionChange> changes = new ArrayList<>();
    for (Image im : images) {
      long[] hint = m.hint(im.hintKey());
      if (!im.elf().movable() && !files.needProof()) {
        changes.addAll(place(m, t.mm, im, 0, line));
      } else if (hint != null) {
        changes.addAll(place(m, t.mm, im, hint[0], (int) hint[1]));
      } else {
        t.mm.unplaced.add(im);
        m.waiting.add(im);
      }
    }
    return new Outcome(changes, List.of());
  }

  /**
   * An mprotect to PROT_READ of memory the model does not hold: when its length is that of an
   * unplaced image's RELRO, it is ld.so's _dl_protect_relro and tells the image's base (for an
   * image linked at fixed addresses, it confirms the file when at its link address). Returns the
   * image's regions and then the mprotect's changes to them.
   */
  static List<RegionChange> relro(
      MemoryModel m, AddressSpace s, long addr, long len, int prot, int line) {
    if (s.unplaced.isEmpty() || prot != 1 || s.overlaps(addr, addr + len)) {
      return List.of();
    }
    // the images whose RELRO has this length, those in the area the kernel loads them in first
    // (a program and its loader, both with one-page RELRO: musl's); the sort is stable
    List<Image> candidates =
        s.unplaced.stream()
            .filter(im -> im.relroLength() == len)
            .sorted(Comparator.comparing(im -> !inKernelArea(im, addr)))
            .toList();
    for (Image im : candidates) {
      long bias = addr - pageDown(im.elf().relro().vaddr());
      boolean where = im.elf().movable() ? pageDown(bias) == bias : bias == 0;
      if (where && fits(s, im, bias)) {
        s.unplaced.remove(im);
        m.waiting.remove(im);
        m.learnt(new Placement(im.hintKey(), bias, line));
        List<RegionChange> out = new ArrayList<>(place(m, s, im, bias, line));
        // then the mprotect itself, on the memory it now finds
        List<RegionChange> split = MemoryOps.mprotect(s, addr, len, prot).changes();
        m.placedNow(split);
        out.addAll(split);
        return out;
      }
    }
    return List.of();
  }

  /**
   * Whether addr lies where load_elf_binary puts the image on x86-64: a position-independent
   * program with an interpreter at ELF_ET_DYN_BASE (0x555555554000) plus at most 2^28 pages of
   * randomisation (arch_mmap_rnd), below 0x565555554000; the interpreter, and a program without
   * one, in the mmap area, outside that window: near 0x7f... below the stack, but as low as
   * 0x1555... (mmap_base's gap follows RLIMIT_STACK up to 5/6 of the address space) or
   * TASK_UNMAPPED_BASE (the legacy layout) under `ulimit -s unlimited`, so no line divides them.
   */
  private static boolean inKernelArea(Image im, long addr) {
    boolean pieWindow = addr >= 0x555555554000L && addr < 0x565555554000L;
    return im.role().equals(PROGRAM) && im.elf().interp() != null ? pieWindow : !pieWindow;
  }

  /** Whether every page of the image at this bias is free in s. */
  private static boolean fits(AddressSpace s, Image im, long bias) {
    for (Segment seg : im.elf().loads()) {
      long lo = pageDown(bias + seg.vaddr());
      long hi = pageUp(bias + seg.vaddr() + seg.memsz());
      if (s.overlaps(lo, hi)) {
        return false;
      }
    }
    return true;
  }

  /** Maps the image's segments at bias; originLine is the execve's (the call that made them). */
  private static List<RegionChange> place(
      MemoryModel m, AddressSpace s, Image im, long bias, int learntAt) {
    ChangeTracker tracker = new ChangeTracker(s);
    Backing file = Backing.file(im.kernelPath());
    // every span is watched before any is mapped: a segment mapped already would be seen as there
    // before, next to the one watched after it, and not reported as added
    for (Segment seg : im.elf().loads()) {
      tracker.watch(pageDown(bias + seg.vaddr()), pageUp(bias + seg.vaddr() + seg.memsz()));
    }
    for (Segment seg : im.elf().loads()) {
      long start = pageDown(bias + seg.vaddr());
      long fileEnd = seg.filesz() == 0 ? start : pageUp(bias + seg.vaddr() + seg.filesz());
      long memEnd = pageUp(bias + seg.vaddr() + seg.memsz());
      int prot = seg.prot();
      boolean writable = (prot & 2) != 0;
      int flags =
          Vma.FROM_ELF | ((prot & 7) << Vma.SEGMENT_PROT_SHIFT) | (writable ? Vma.ACCOUNT : 0);
      if (fileEnd > start) {
        s.cut(start, fileEnd);
        s.put(
            new Vma(
                start,
                fileEnd,
                prot,
                false,
                pageDown(seg.offset()),
                file,
                flags,
                0,
                im.execLine(),
                false));
        s.mergeBoundaries(start, fileEnd);
      }
      if (memEnd > fileEnd) {
        s.cut(fileEnd, memEnd);
        s.put(
            new Vma(
                fileEnd,
                memEnd,
                3 | (prot & 4),
                false,
                fileEnd,
                Backing.ANONYMOUS,
                Vma.FROM_ELF | Vma.ACCOUNT,
                0,
                im.execLine(),
                false));
        s.mergeBoundaries(fileEnd, memEnd);
      }
    }
    s.placed.add(new Placed(im.role(), im.elf(), im.kernelPath(), bias, learntAt));
    List<RegionChange> made = tracker.changes();
    m.placedNow(made);
    return made;
  }

  /** An image the model placed: for explanations of the regions it made. */
  record Placed(String role, ElfFile elf, String kernelPath, long bias, int learntAt) {}
}
