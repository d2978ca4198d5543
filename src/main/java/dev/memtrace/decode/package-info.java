/**
 * From a parsed call to typed fields: the stage after {@code trace} and before {@code model}.
 *
 * <p>{@link dev.memtrace.decode.Call#of} gives each call memtrace interprets a typed view ({@link
 * dev.memtrace.decode.Mmap}, {@link dev.memtrace.decode.Clone}, {@link dev.memtrace.decode.Open},
 * {@link dev.memtrace.decode.Transfer}...), lazy in the way of the JDK's ClassFile API: an argument
 * is read from the text the parser split the first time a field is asked for, and kept. Names,
 * {@code -X raw} numbers and {@code -X verbose} comments decode to equal values through the one
 * flag table of each kind ({@link dev.memtrace.decode.LinuxFlags}, {@link
 * dev.memtrace.decode.FlagTable}) and the one number reader ({@link dev.memtrace.trace.Numbers},
 * wrapped for what strace prints around a number by {@link dev.memtrace.decode.ArgText}). "No
 * number" is an empty {@link java.util.OptionalLong}. The model decodes the calls it applies and
 * hands the view on with the event; nothing here imports a later stage.
 */
package dev.memtrace.decode;
