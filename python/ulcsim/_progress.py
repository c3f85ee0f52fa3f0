"""Progress of long calls: the engine reports agent-months simulated (throttled to ten
reports a second, on the calling thread); this turns that into a tqdm bar when tqdm is
installed, or passes it to the caller's function."""

import contextlib


def _tqdm():
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm


@contextlib.contextmanager
def progress_hook(progress, description):
    """Yields what the engine calls: None (no progress), the caller's callable, or one that
    moves a tqdm bar, closed when the call ends."""
    if progress is None or progress is False:
        yield None
        return
    if callable(progress):
        yield progress
        return
    tqdm = _tqdm()
    if tqdm is None:
        yield None
        return
    bar = tqdm(total=100, desc=description, unit="%", leave=False)

    def hook(done, total, replicates_done, replicates_total):
        percent = int(100 * done / total) if total else 0
        bar.set_postfix_str(f"replicates {replicates_done}/{replicates_total}", refresh=False)
        bar.update(max(0, percent - bar.n))

    try:
        yield hook
    finally:
        bar.close()


@contextlib.contextmanager
def simulations_hook(progress, description):
    """As progress_hook for a calibration, whose length is not known beforehand: the caller's
    callable gets the simulations run so far (one argument), a tqdm bar counts them."""
    if progress is None or progress is False:
        yield None
        return
    if callable(progress):
        yield lambda done, total, replicates_done, replicates_total: progress(done)
        return
    tqdm = _tqdm()
    if tqdm is None:
        yield None
        return
    bar = tqdm(desc=description, unit=" simulations", leave=False)

    def hook(done, total, replicates_done, replicates_total):
        bar.update(max(0, done - bar.n))

    try:
        yield hook
    finally:
        bar.close()
