//! Typed indexes into a [`crate::Program`]'s entity vectors.

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u32);

        impl $name {
            /// The id of the entity at `index` in its vector.
            ///
            /// # Panics
            /// When `index` does not fit in 32 bits; programs are far smaller.
            pub fn new(index: usize) -> Self {
                Self(u32::try_from(index).expect("entity index fits in u32"))
            }

            /// The position of the entity in its vector.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

typed_id!(
    /// A team, by position in [`crate::Program::teams`].
    TeamId
);
typed_id!(
    /// A work item, by position in [`crate::Program::items`].
    ItemId
);
typed_id!(
    /// A milestone, by position in [`crate::Program::milestones`].
    MilestoneId
);
typed_id!(
    /// A system, by position in [`crate::Program::systems`].
    SystemId
);
typed_id!(
    /// An interface (API contract), by position in [`crate::Program::interfaces`].
    InterfaceId
);
typed_id!(
    /// A risk, by position in [`crate::Program::risks`].
    RiskId
);
typed_id!(
    /// A decision, by position in [`crate::Program::decisions`].
    DecisionId
);
typed_id!(
    /// A group of work items (an epic, a workstream, a phase), by position
    /// in [`crate::Program::groups`].
    GroupId
);
