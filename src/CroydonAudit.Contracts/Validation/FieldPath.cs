namespace CroydonAudit.Contracts.Validation;

/// <summary>
/// A field's path as a violation names it (<c>audit.areas[3].evidence</c>), written out only when something is wrong
/// with the field: a valid request is checked field by field without a string being built for each.
/// </summary>
/// <param name="Parent">The path of the message the field is in ("" at the top).</param>
/// <param name="Name">The field, or a repeated field's name; null when <paramref name="Parent"/> is the whole path.</param>
/// <param name="Index">The entry of a repeated field, or -1.</param>
/// <param name="Child">A field of that entry or message, or null.</param>
public readonly record struct FieldPath(string Parent, string? Name = null, int Index = -1, string? Child = null)
{
    /// <summary>A path written out already.</summary>
    public static implicit operator FieldPath(string path) => new(path);

    /// <inheritdoc />
    public override string ToString()
    {
        var path = Name is null ? Parent : Parent.Length == 0 ? Name : $"{Parent}.{Name}";
        path = Index < 0 ? path : $"{path}[{Index}]";
        return Child is null ? path : $"{path}.{Child}";
    }
}
