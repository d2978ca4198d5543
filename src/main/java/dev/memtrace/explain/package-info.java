/**
 * The explain stage: why each memory event happened, which region a read/write buffer lies in, and
 * what class each region is.
 *
 * <p>{@link dev.memtrace.explain.Explainer} receives events after the model, in log order. For a
 * memory call it reads the rule table ({@code Rules}: {@code FailureRules}, {@code LoaderRules},
 * {@code JvmRules}, {@code ThreadRules}, the runtimes' rows of {@code MappingRules}, {@code
 * MallocRules}, {@code FileRules}, then the rest of {@code MappingRules}) top to bottom. A row is
 * data: the syscalls it is keyed on, conditions on flags, sizes, paths and on what earlier calls
 * left in the address space's {@code Space} (the object ld.so is mapping, the break, glibc's mmap
 * threshold as frees moved it, the default thread stack size, the {@link dev.memtrace.explain.Tag}s
 * of earlier mappings), the {@code -k} frames that would confirm it, and a sentence whose numbers
 * come from {@link dev.memtrace.explain.Glibc}'s arithmetic on the numbers in the trace. Each
 * {@link dev.memtrace.timeline.Explanation} carries its basis (stack, snapshot, arithmetic,
 * pattern) and its evidence.
 *
 * <p>Which address space (and process) an event belongs to is the model's to say ({@link
 * dev.memtrace.model.Who}, on each event): a {@code Space} is kept per space the model names, and a
 * clone, fork or execve acts on them as the model says it made a thread, a process or a fresh
 * space.
 *
 * <p>Other calls tell what memory is for ({@code Specials}: execve, the TLS block behind
 * ARCH_SET_FS, RLIMIT_STACK, fork and MAP_SHARED) or use it ({@code Buffers}: read/write-like calls
 * placed in a region, and the lengths that identify an I/O buffer); {@code Faults} places
 * SIGSEGV/SIGBUS. Events wait in a bounded window, so a later event can still amend an earlier
 * one's reason (the reads after an mmap say what it was for) while memory stays flat.
 *
 * <p>At the end, {@link dev.memtrace.explain.Explainer#reports()} and {@link
 * dev.memtrace.explain.Explainer#stats()} feed the summary: a {@link dev.memtrace.explain.Tally}
 * per {@link dev.memtrace.timeline.RegionClass} and per object, at the end and at the peak, and the
 * counts of calls, errors and unexplained memory events. A space whose tasks have all exited is let
 * go; its tables are made then, when reports are wanted.
 */
package dev.memtrace.explain;
