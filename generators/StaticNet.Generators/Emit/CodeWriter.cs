using System.Text;
using System;

namespace StaticNet.Generators.Emit;

/// <summary>A small indented text writer: the emitter writes C# as text, never with SyntaxFactory.</summary>
internal sealed class CodeWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _text = new();
    private int _depth;

    /// <summary>When set, <see cref="Simd.Ladder"/> writes only this path (see <see cref="EmitOptions"/>).</summary>
    public Simd? ForcedPath { get; set; }

    /// <summary>Writes one line at the current indentation (an empty line has no trailing spaces); text with \n writes several.</summary>
    public CodeWriter Line(string text = "")
    {
        if (text.IndexOf('\n') >= 0)
        {
            foreach (string part in text.Split('\n')) Line(part);
            return this;
        }
        if (text.Length > 0)
        {
            for (int i = 0; i < _depth; i++) _text.Append(IndentUnit);
            _text.Append(text);
        }
        _text.Append('\n');
        return this;
    }

    /// <summary>Writes a line comment.</summary>
    public CodeWriter Comment(string text) => Line("// " + text);

    /// <summary>Writes an XML doc summary, one line per element of <paramref name="lines"/>.</summary>
    public CodeWriter Summary(params string[] lines)
    {
        if (lines.Length == 1) return Line("/// <summary>" + lines[0] + "</summary>");
        Line("/// <summary>");
        foreach (string line in lines) Line("/// " + line);
        return Line("/// </summary>");
    }

    /// <summary>Writes <paramref name="header"/>, an opening brace, and indents until the scope is disposed.</summary>
    public Scope Block(string header)
    {
        Line(header);
        Line("{");
        _depth++;
        return new Scope(this, "}");
    }

    /// <summary>Opens a bare <c>{ … }</c> scope.</summary>
    public Scope Open()
    {
        Line("{");
        _depth++;
        return new Scope(this, "}");
    }

    /// <summary>Like <see cref="Block"/> but closes with <paramref name="closing"/> (for example <c>};</c>).</summary>
    public Scope Block(string header, string closing)
    {
        Line(header);
        Line("{");
        _depth++;
        return new Scope(this, closing);
    }

    public override string ToString() => _text.ToString();

    internal readonly struct Scope : IDisposable
    {
        private readonly CodeWriter _writer;
        private readonly string _closing;

        public Scope(CodeWriter writer, string closing)
        {
            _writer = writer;
            _closing = closing;
        }

        public void Dispose()
        {
            _writer._depth--;
            _writer.Line(_closing);
        }
    }
}
