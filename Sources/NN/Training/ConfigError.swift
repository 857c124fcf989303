/// A configuration value the engine cannot use: which setting, and what is wrong with its value.
///
/// The engine names its settings in its own words (`message`: "dropout ratio: must be in [0, 1),
/// got 1.5"); a front end that knows how the user spelled the setting (a command-line flag, a key)
/// words it its own way from `setting` and `problem`.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    /// The settings a configuration is checked for; nil in an error about the configuration as a
    /// whole (too large for the memory).
    public enum Setting: String, Sendable, CaseIterable {
        case inputSize = "input size"
        case outputSize = "output size"
        case hiddenLayers = "hidden layer sizes"
        case dropout = "dropout ratio"
        case inputDropout = "input dropout ratio"
        case weightDecay = "weight decay"
        case initializer = "initializer"
        case activation = "activation function"
        case learningRate = "learning rate"
        case batchSize = "batch size"
        case epochs = "epochs"
        case momentum = "momentum"
        case beta1 = "beta1"
        case beta2 = "beta2"
        case rho = "RMSprop decay rho"
        case epsilon = "epsilon"
        case learningRateSchedule = "learning-rate schedule"
        case augmentation = "data augmentation"
    }

    public let setting: Setting?
    /// What is wrong, without the setting's name (e.g. "must be at least 1, got 0").
    public let problem: String

    public init(_ setting: Setting?, _ problem: String) {
        self.setting = setting
        self.problem = problem
    }

    /// An error about the configuration as a whole.
    public init(_ problem: String) { self.init(nil, problem) }

    public var message: String { setting.map { "\($0.rawValue): \(problem)" } ?? problem }
    public var description: String { message }
}
