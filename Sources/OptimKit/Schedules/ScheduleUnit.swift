/// What one step of a learning-rate schedule means to a training loop.
///
/// The book's LeNet trainer advanced its schedulers once per minibatch update while
/// plotting them over epochs; choosing the unit explicitly avoids that mismatch.
public enum ScheduleUnit: String, Sendable, Codable, Equatable, CaseIterable {
    /// `schedule(t)` with `t` = updates applied so far (0 for the first update).
    case update
    /// `schedule(e)` with `e` = the 0-based epoch, fixed for the whole epoch.
    case epoch
}
