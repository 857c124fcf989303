/// What an `event` record says happened: a user switch, a fork (the parent's "fork" and the new
/// run's "forked"), a restart or a divergence. The raw values are the record's `kind` strings.
///
/// A kind this dlboard does not know (written by a later version) is not an error: its event line
/// is left out, as a record type it does not know is, and the rest of the file reads as usual. A
/// newer file says so once in the reader's "written by a newer dlboard" warning.
enum EventKind: String, Codable, Sendable, CaseIterable {
    case optimizer
    case learningRate = "lr"
    /// `from`/`to` are schedules as the command line spells them (`constant`, `exp:0.9`).
    case schedule = "lr_schedule"
    case initializer = "init"
    case activation
    /// `from`/`to` are normalizations as `--norm` spells them (`none`, `batch`, `layer`).
    case normalization = "norm"
    /// The BatchNorm switch (`on`/`off`) of records written before there was a choice of
    /// normalization; read, no longer written.
    case batchNorm = "batchnorm"
    case dropout
    case weightDecay = "weight_decay"
    case batchSize = "batch_size"
    case loss
    /// `from`/`to` are augmentations as the command line spells them (`none`, `shift:2+noise:0.1`).
    case augmentation
    case restart
    /// On the parent: the step it was forked at, `to` the new run's id.
    case fork
    /// On the new run: its first event, `from` the parent's id.
    case forked
    /// Population-based training: the run took over another's state (`from` the donor's run id);
    /// the lr and weight-decay events of its explore follow at the same step.
    case exploit
    /// `dlboard trial --checkpoint-dir`: a checkpoint written at this step (`to`: its state digest).
    case checkpoint
    /// `dlboard trial --restore`: the run goes on from a checkpoint (`from`: its state digest).
    case restore
    case diverged
}
