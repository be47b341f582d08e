namespace Sarcostat.Cohort;

/// <summary>The dictionary's codes that the domain logic refers to by name (a test checks they exist in dictionary.yaml).</summary>
public static class Codes
{
    /// <summary>vital_status.</summary>
    public static class VitalStatus
    {
        /// <summary>Alive at last contact.</summary>
        public const string Alive = "alive";

        /// <summary>Dead.</summary>
        public const string Dead = "dead";
    }

    /// <summary>cause_of_death.</summary>
    public static class CauseOfDeath
    {
        /// <summary>Death from sarcoma.</summary>
        public const string Sarcoma = "sarcoma";

        /// <summary>Death from another cause.</summary>
        public const string Other = "other";

        /// <summary>Cause unknown.</summary>
        public const string Unknown = "unknown";
    }

    /// <summary>indication (of a metastasectomy).</summary>
    public static class Indication
    {
        /// <summary>The first metastasectomy.</summary>
        public const string Initial = "initial";

        /// <summary>A planned second stage of a staged (bilateral) resection: not a repeat for a recurrence.</summary>
        public const string Staged = "staged";

        /// <summary>A repeat metastasectomy for a recurrence.</summary>
        public const string Recurrence = "recurrence";
    }

    /// <summary>resection.</summary>
    public static class Resection
    {
        /// <summary>Wedge resection.</summary>
        public const string Wedge = "wedge";

        /// <summary>Segmentectomy.</summary>
        public const string Segmentectomy = "segmentectomy";

        /// <summary>Lobectomy.</summary>
        public const string Lobectomy = "lobectomy";

        /// <summary>Bilobectomy.</summary>
        public const string Bilobectomy = "bilobectomy";

        /// <summary>Pneumonectomy.</summary>
        public const string Pneumonectomy = "pneumonectomy";
    }

    /// <summary>margin and primary_margin.</summary>
    public static class Margin
    {
        /// <summary>Microscopically complete.</summary>
        public const string R0 = "R0";

        /// <summary>Microscopic residual.</summary>
        public const string R1 = "R1";

        /// <summary>Macroscopic residual.</summary>
        public const string R2 = "R2";

        /// <summary>Not known.</summary>
        public const string Unknown = "unknown";
    }

    /// <summary>histology: the codes the domain logic names.</summary>
    public static class Histology
    {
        /// <summary>
        /// Not a sarcoma (a carcinoma, a melanoma, ...): the patient is kept, counted and excluded by a protocol's
        /// selection step rather than blocking the import.
        /// </summary>
        public const string NotSarcoma = "not_sarcoma";
    }
}
