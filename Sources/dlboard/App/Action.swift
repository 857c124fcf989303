/// What a key asks the dashboard to do.
enum Action: Hashable, Sendable {
    case nextOptimizer, previousOptimizer
    case nextInitializer
    case toggleBatchNorm
    case toggleDropout, dropoutDown, dropoutUp
    case nextWeightDecay
    case learningRateUp, learningRateDown
    case nextSchedule
    case nextActivation
    case togglePause, singleStep, restart
    case nextSmoothing, toggleLogY, toggleFreeze, togglePathInset, toggleLayers
    case help, quit, closeOverlay
}
