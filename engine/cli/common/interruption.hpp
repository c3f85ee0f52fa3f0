#pragma once
// Ctrl-C (SIGINT) and SIGTERM end every command the same way, whatever it is doing — reading,
// simulating, calibrating, writing: the temporary files and output locks go, "interrupted:
// nothing written" is said, and the process ends with status 130. Ending at once rather than
// at the next safe point means that no loop, however long, outlives a signal; it is safe
// because every file a command writes is a registered temporary until it is moved into place.

namespace ulcsim {
class OutputSink;
}

namespace ulcsim::cli {

/// The handlers, for as long as the object lives (then the previous ones come back).
class EndOnInterrupt {
public:
    /// `say_so`: print the message (ranks other than 0 of an MPI job keep quiet).
    EndOnInterrupt(OutputSink& sink, bool say_so);
    ~EndOnInterrupt();
    EndOnInterrupt(const EndOnInterrupt&) = delete;
    EndOnInterrupt& operator=(const EndOnInterrupt&) = delete;
};

/// Called as a command starts moving its outputs into place: from then on a signal no longer
/// ends it, so that either none of its outputs appears (an earlier signal) or all of them do,
/// and the command ends as if no signal had come.
void outputs_being_committed();

} // namespace ulcsim::cli
