using System.ComponentModel;

namespace StaticNet.Compiled;

/// <summary>
/// The work buffers of one forward and backward pass over up to <see cref="Rows"/> rows. Each generated network derives
/// its own, with one array per buffer, every array allocated for <see cref="Rows"/> rows when the workspace is made and
/// never replaced: a call that holds a workspace can write anywhere in it, whatever other threads do.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class Workspace
{
    /// <summary>Creates a workspace for up to <paramref name="rows"/> rows.</summary>
    protected Workspace(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        Rows = rows;
    }

    /// <summary>The most rows a pass may use this workspace for.</summary>
    public int Rows { get; }

    /// <summary>The rows of the last forward pass (for <c>LayerOutput</c>).</summary>
    public int LastRows { get; set; }

    /// <summary>Whether the last forward pass was a training pass (for <c>LayerOutput</c>, when dropout makes the outputs differ).</summary>
    public bool LastTraining { get; set; }

    /// <summary>
    /// The size of the array for <paramref name="rows"/> rows of <paramref name="width"/> floats, or an exception when it
    /// exceeds what one .NET array can hold: sizes are computed in 64 bits, so a large batch never wraps around.
    /// </summary>
    public static int Size(int rows, int width)
    {
        long size = (long)rows * width;
        if (size > Array.MaxLength)
        {
            throw new ArgumentException(
                $"A batch of {rows} rows needs a work buffer of {rows} × {width} = {size} floats, more than one array can hold ({Array.MaxLength}); split the batch.",
                "inputs");
        }
        return (int)size;
    }
}

/// <summary>
/// The workspace of one network instance, and the guard that makes concurrent calls on the instance an exception instead
/// of a data race: <see cref="Enter"/> marks the instance busy with the name of the call, and a second call while it is
/// busy throws <see cref="InvalidOperationException"/> naming both. The workspace grows (is replaced by a larger one) only
/// inside a call that holds the guard.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ExclusiveWorkspace
{
    private string? _busy;
    private Workspace? _workspace;

    /// <summary>Marks the instance busy with <paramref name="call"/>; pair with <see cref="Exit"/> in a <c>finally</c>.</summary>
    /// <exception cref="InvalidOperationException">Another call is running on the instance.</exception>
    public void Enter(string call)
    {
        if (Interlocked.CompareExchange(ref _busy, call, null) is string running)
        {
            throw new InvalidOperationException(
                $"{call} was called on a network while {running} was running on it in another thread. A network instance is not " +
                "thread-safe: give each thread its own (CreateReplica for data-parallel training), or share a frozen copy (Freeze) for inference.");
        }
    }

    /// <summary>
    /// A workspace for <paramref name="rows"/> rows, for the call that holds the guard (<see cref="Enter"/>): the current
    /// one, or a new one from <paramref name="create"/> when it is too small.
    /// </summary>
    public T For<T>(int rows, Func<int, T> create) where T : Workspace
    {
        if (_workspace is T workspace && workspace.Rows >= rows) return workspace;
        workspace = create(rows);
        _workspace = workspace;
        return workspace;
    }

    /// <summary>Ends the call that <see cref="Enter"/> began.</summary>
    public void Exit() => Volatile.Write(ref _busy, null);

    /// <summary>The workspace of the last call, if any (read by <c>LayerOutput</c>).</summary>
    public T? Last<T>() where T : Workspace => Volatile.Read(ref _workspace) as T;
}

/// <summary>
/// Workspaces for any number of concurrent calls (a frozen network shared by request threads): <see cref="Rent{T}"/> takes
/// a free workspace large enough, or makes one; <see cref="Return"/> keeps it for the next call. Lock-free; once every
/// thread has had a workspace of the largest batch it uses, no call allocates.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class WorkspacePool
{
    private readonly Workspace?[] _free = new Workspace?[Math.Clamp(2 * Environment.ProcessorCount, 4, 64)];

    /// <summary>A workspace for <paramref name="rows"/> rows that no other call holds until it is returned.</summary>
    public T Rent<T>(int rows, Func<int, T> create) where T : Workspace
    {
        Workspace?[] free = _free;
        for (int i = 0; i < free.Length; i++)
        {
            if (Volatile.Read(ref free[i]) is null) continue;
            if (Interlocked.Exchange(ref free[i], null) is T workspace)
            {
                if (workspace.Rows >= rows) return workspace;
                // Too small for this batch: dropped, so that the pool ends up holding workspaces of the largest batch.
            }
        }
        return create(rows);
    }

    /// <summary>Gives a workspace back for later calls (when every slot is taken it is left to the garbage collector).</summary>
    public void Return(Workspace workspace)
    {
        Workspace?[] free = _free;
        for (int i = 0; i < free.Length; i++)
        {
            if (Interlocked.CompareExchange(ref free[i], workspace, null) is null) return;
        }
    }
}
