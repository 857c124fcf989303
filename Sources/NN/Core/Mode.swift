/// Whether a forward pass is part of training (batch statistics, random dropout masks) or of
/// evaluation (running statistics, deterministic dropout scaling). Only BatchNorm and Dropout look at it.
public enum Mode: Sendable {
    case train
    case eval
}
