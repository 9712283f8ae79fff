//! Spreads per-resource work over the machine's cores.
//!
//! Reading a large plan is dominated by building each resource's attribute map and then
//! placing and linking it, all independent per resource. The work is cut into contiguous
//! chunks, one per worker, and the results are put back in input order, so that the
//! output does not depend on the number of cores. Small inputs stay on the calling
//! thread.

use std::num::NonZeroUsize;
use std::ops::Range;
use std::sync::Mutex;
use std::thread;

/// Below this many items per worker the work stays on the calling thread: starting a
/// thread costs more than it saves.
const MIN_ITEMS_PER_WORKER: usize = 2048;

/// More workers than this gain nothing on the memory-bound work done here.
const MAX_WORKERS: usize = 8;

/// Applies `f` to every item, in order.
pub(super) fn map<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    let workers = workers(items.len());
    if workers <= 1 {
        return items.into_iter().map(f).collect();
    }

    // Chunks are split off the end so that the first keeps the original allocation and
    // the items are copied at most once.
    let chunk_length = items.len().div_ceil(workers);
    let mut items = items;
    let mut chunks = Vec::with_capacity(workers);
    while items.len() > chunk_length {
        let tail = items.split_off(items.len() - (items.len() - 1) % chunk_length - 1);
        chunks.push(tail);
    }
    chunks.push(items);
    chunks.reverse();
    let mut parts = run_chunks(chunks, |chunk| chunk.into_iter().map(&f).collect::<Vec<U>>());
    // The first part's buffer grows to hold the rest, rather than all being copied into
    // a new one.
    let rest = parts.split_off(1.min(parts.len()));
    let mut mapped = parts.pop().unwrap_or_default();
    for part in rest {
        mapped.extend(part);
    }
    mapped
}

/// Calls `f` on contiguous ranges that cover `0..length`, and returns the results in the
/// order of the ranges.
pub(super) fn map_ranges<U: Send>(length: usize, f: impl Fn(Range<usize>) -> U + Sync) -> Vec<U> {
    let workers = workers(length);
    let chunk_length = length.div_ceil(workers.max(1)).max(1);
    let ranges: Vec<Range<usize>> = (0..length)
        .step_by(chunk_length)
        .map(|start| start..(start + chunk_length).min(length))
        .collect();
    if ranges.len() <= 1 {
        return vec![f(0..length)];
    }
    run_chunks(ranges, f)
}

/// Runs `a` and `b` at the same time when `work` (a number of items) is large enough to
/// be worth a thread, one after the other otherwise.
pub(super) fn join<A: Send, B>(
    work: usize,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B,
) -> (A, B) {
    if workers(work) <= 1 {
        return (a(), b());
    }

    let slot = Mutex::new(Some(a));
    let run_a = || slot.lock().ok().and_then(|mut a| a.take()).map(|a| a());
    thread::scope(|scope| {
        let handle = thread::Builder::new().spawn_scoped(scope, run_a).ok();
        let b = b();
        let a = match handle.map(|handle| handle.join()) {
            Some(Ok(Some(a))) => Some(a),
            Some(Err(panic)) => std::panic::resume_unwind(panic),
            // The thread could not be started, so `a` is still in its slot.
            Some(Ok(None)) | None => run_a(),
        };
        (a.expect("`a` runs exactly once, on the thread or here"), b)
    })
}

/// How many workers to use for `items` items.
fn workers(items: usize) -> usize {
    let cores = thread::available_parallelism().map_or(1, NonZeroUsize::get).min(MAX_WORKERS);
    (items / MIN_ITEMS_PER_WORKER).clamp(1, cores)
}

/// Runs `f` on every chunk, the first on the calling thread and the others on scoped
/// threads, and returns the results in chunk order. A chunk whose thread cannot be
/// started runs on the calling thread instead.
fn run_chunks<C: Send, U: Send>(chunks: Vec<C>, f: impl Fn(C) -> U + Sync) -> Vec<U> {
    let inputs: Vec<Mutex<Option<C>>> = chunks.into_iter().map(|c| Mutex::new(Some(c))).collect();
    let outputs: Vec<Mutex<Option<U>>> = inputs.iter().map(|_| Mutex::new(None)).collect();
    let run = |index: usize| {
        let input = inputs.get(index).and_then(|slot| slot.lock().ok()?.take());
        if let Some(input) = input {
            let output = f(input);
            if let Some(Ok(mut slot)) = outputs.get(index).map(Mutex::lock) {
                *slot = Some(output);
            }
        }
    };

    thread::scope(|scope| {
        let run = &run;
        let handles: Vec<_> = (1..inputs.len())
            .filter_map(|index| thread::Builder::new().spawn_scoped(scope, move || run(index)).ok())
            .collect();
        run(0);
        for handle in handles {
            if let Err(panic) = handle.join() {
                std::panic::resume_unwind(panic);
            }
        }
        // Chunks whose thread could not be started are still waiting.
        (1..inputs.len()).for_each(run);
    });

    outputs.into_iter().filter_map(|slot| slot.into_inner().ok().flatten()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_input_order_whatever_the_chunking() {
        for length in [0, 1, 5, MIN_ITEMS_PER_WORKER * 3 + 7] {
            let items: Vec<usize> = (0..length).collect();
            let doubled = map(items, |item| item * 2);
            assert_eq!(doubled, (0..length).map(|item| item * 2).collect::<Vec<_>>());

            let ranges = map_ranges(length, |range| range);
            let covered: Vec<usize> = ranges.into_iter().flatten().collect();
            assert_eq!(covered, (0..length).collect::<Vec<_>>());
        }
    }
}
