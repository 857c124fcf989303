import Foundation
import NN

/// The course's argument for random search, run: the same budget of trials spent as a grid and as
/// random draws over two knobs, one that matters (by default lr, 10^U(−4, 0)) and one that barely
/// does (weight decay 10^U(−8, −5): at E9's scale, with lr held, any of it lands within a couple of
/// points of validation accuracy). A grid of side × side tries only `side` values of the knob that
/// matters — each `side` times, the other knob's values wasted on it — where random draws try a
/// new value in every trial.
///
/// Both searches are rounds of one `RandomSearch` (round 1 the grid, round 2 random: the trial
/// records say which), two trials at a time. Every trial starts from the same initial weights and
/// batch order (E9's `--shared-init`): a trial's accuracy then rests on its two values alone, so the
/// grid's trials that differ only in the knob that barely matters come out alike — visibly wasted.
final class GridVsRandom: Sendable {
    static let gridRound = 1
    static let randomRound = 2
    /// The default space: lr matters, weight decay (this little of it) does not.
    static let defaultSpace = try! SearchSpace(parsing: ["lr=log:-4,0", "wd=log:-8,-5"])

    let search: RandomSearch
    let space: SearchSpace
    /// The grid: each knob's `SearchDimension.grid(side)`, every pair of them.
    let grid: [[SearchKnob: SearchValue]]
    let side: Int

    /// `space` has two knobs, the one that matters first; the budget is the grid's size, ⌊√trials⌋²
    /// (fewer when an int knob has fewer than ⌊√trials⌋ whole numbers), for both searches.
    init(dataset: Dataset, base: TrainingConfig, space: SearchSpace, trials: Int) {
        precondition(space.axes.count == 2, "grid vs random compares two knobs")
        self.space = space
        side = max(1, Int(Double(trials).squareRoot().rounded(.down)))
        let across = space.axes[0]
        let up = space.axes[1]
        let side = side
        grid = across.dimension.grid(side).flatMap { a in
            up.dimension.grid(side).map { b in [across.knob: a, up.knob: b] }
        }
        search = RandomSearch(dataset: dataset, base: base, space: space, trialsPerRound: grid.count, sharedInit: true)
    }

    var important: SearchSpace.Axis { space.axes[0] }
    var other: SearchSpace.Axis { space.axes[1] }
    var budget: Int { grid.count }

    /// What a trial's title calls its search.
    static func searchName(round: Int) -> String { round == gridRound ? "grid" : "random" }

    /// Starts the grid.
    func start() { search.startRound(points: grid, in: space) }

    /// Starts the random search once the grid is done; true when it did.
    @discardableResult
    func advance() -> Bool {
        let s = search.snapshot()
        guard !s.running, s.round == Self.gridRound else { return false }
        return search.startRound(space, count: budget)
    }

    /// Both searches have finished.
    var finished: Bool {
        let s = search.snapshot()
        return !s.running && s.round == Self.randomRound
    }
}
