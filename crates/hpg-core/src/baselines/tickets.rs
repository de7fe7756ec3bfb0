//! Bookkeeping of decisions that wait for their reward.

use std::collections::BTreeMap;

use crate::{Error, Result, Ticket};

/// A decision waiting for its reward: the chosen model and the regression
/// features it was chosen on.
#[derive(Debug, Clone)]
struct Pending {
    model: usize,
    features: Vec<f64>,
}

/// Issues tickets in increasing order and stores the model and features of
/// each open decision until its reward arrives.
///
/// The feature buffers of closed tickets are kept for reuse, so a router
/// that observes every decision before the next one allocates no new
/// feature buffer after its first round.
#[derive(Debug, Clone, Default)]
pub(crate) struct TicketBook {
    next_ticket: u64,
    pending: BTreeMap<u64, Pending>,
    spare: Vec<Vec<f64>>,
}

impl TicketBook {
    /// Records that `model` was chosen on `features` and returns the ticket.
    pub(crate) fn issue(&mut self, model: usize, features: &[f64]) -> Ticket {
        let mut buffer = self.spare.pop().unwrap_or_default();
        buffer.clear();
        buffer.extend_from_slice(features);

        let ticket = Ticket(self.next_ticket);
        self.next_ticket += 1;
        self.pending.insert(
            ticket.0,
            Pending {
                model,
                features: buffer,
            },
        );
        ticket
    }

    /// Returns the model and features of an open ticket.
    ///
    /// # Errors
    /// [`Error::UnknownTicket`] for a ticket never issued or already closed.
    pub(crate) fn get(&self, ticket: Ticket) -> Result<(usize, &[f64])> {
        self.pending
            .get(&ticket.0)
            .map(|pending| (pending.model, pending.features.as_slice()))
            .ok_or(Error::UnknownTicket { ticket: ticket.0 })
    }

    /// Closes `ticket`, so a second `observe` with it fails. Closing an
    /// unknown ticket does nothing.
    pub(crate) fn close(&mut self, ticket: Ticket) {
        if let Some(pending) = self.pending.remove(&ticket.0) {
            self.spare.push(pending.features);
        }
    }

    /// Number of open tickets.
    pub(crate) fn open(&self) -> usize {
        self.pending.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_book_returns_stored_decision() {
        let mut book = TicketBook::default();
        let first = book.issue(2, &[0.5, 0.25]);
        let second = book.issue(0, &[1.0, 0.0]);

        assert_eq!(first, Ticket(0));
        assert_eq!(second, Ticket(1));
        assert_eq!(book.get(first).unwrap(), (2, &[0.5, 0.25][..]));
        assert_eq!(book.get(second).unwrap(), (0, &[1.0, 0.0][..]));
        assert_eq!(book.open(), 2);
    }

    #[test]
    fn ticket_book_rejects_closed_ticket() {
        let mut book = TicketBook::default();
        let ticket = book.issue(1, &[0.1]);
        book.close(ticket);

        let error = book.get(ticket).unwrap_err();
        assert!(matches!(error, Error::UnknownTicket { ticket: 0 }));
        assert_eq!(book.open(), 0);
    }

    #[test]
    fn ticket_book_reuses_buffer_with_new_contents() {
        let mut book = TicketBook::default();
        let first = book.issue(0, &[1.0, 2.0, 3.0]);
        book.close(first);
        let second = book.issue(1, &[4.0, 5.0, 6.0]);

        assert_eq!(book.get(second).unwrap(), (1, &[4.0, 5.0, 6.0][..]));
    }
}
