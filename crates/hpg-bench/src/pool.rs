//! A fixed-order parallel map over independent tasks.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Applies `task` to every item on up to `threads` scoped threads and
/// returns the results in the order of `items`.
///
/// Each result depends only on its item, and the results are placed by
/// index, so the output is the same for every thread count and schedule.
/// A panic in a task is resumed on the calling thread.
pub fn map_ordered<T, R, F>(items: &[T], threads: usize, task: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
{
    let workers = threads.clamp(1, items.len().max(1));
    let next = AtomicUsize::new(0);

    let mut indexed: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else { break };
                        done.push((index, task(item)));
                    }
                    done
                })
            })
            .collect();

        let mut all = Vec::with_capacity(items.len());
        for handle in handles {
            match handle.join() {
                Ok(done) => all.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    });

    indexed.sort_by_key(|(index, _)| *index);
    indexed.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_ordered_keeps_item_order() {
        let items: Vec<u64> = (0..50).collect();
        for threads in [1, 2, 7] {
            let squares = map_ordered(&items, threads, |x| x * x);
            let expected: Vec<u64> = items.iter().map(|x| x * x).collect();
            assert_eq!(squares, expected, "threads {threads}");
        }
    }

    #[test]
    fn map_ordered_handles_no_items() {
        let items: Vec<u8> = Vec::new();
        assert!(map_ordered(&items, 2, |x| *x).is_empty());
    }
}
