/// What a key asks the dashboard to do.
enum Action: Hashable, Sendable {
    case nextOptimizer, previousOptimizer
    case nextInitializer
    case cycleNormalization
    case toggleDropout, dropoutDown, dropoutUp
    case nextWeightDecay
    case nextLoss
    case toggleAugmentation
    case learningRateUp, learningRateDown
    case nextSchedule
    case nextActivation
    case batchSizeUp, batchSizeDown
    case togglePause, singleStep, restart
    case nextSmoothing, toggleLogY, toggleFreeze, togglePathInset, toggleLayers, nextXAxis
    case help, quit, closeOverlay
}
