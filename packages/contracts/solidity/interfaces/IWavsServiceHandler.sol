// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

/// @title IWavsServiceHandler
/// @notice What a WAVS handler contract exposes: operators' aggregators call
///         `handleSignedEnvelope` once a quorum of signatures is gathered.
interface IWavsServiceHandler {
    /// @notice Operator signatures over an envelope, signers sorted strictly ascending.
    /// @param referenceBlock The block whose operator weights the signatures are checked against.
    struct SignatureData {
        address[] signers;
        bytes[] signatures;
        uint32 referenceBlock;
    }

    /// @notice The signed unit: `keccak256(abi.encode(envelope))` is what operators sign (EIP-191).
    struct Envelope {
        bytes20 eventId;
        bytes12 ordering;
        bytes payload;
    }

    /// @notice Validates the signatures through the service manager and consumes the payload.
    function handleSignedEnvelope(Envelope calldata envelope, SignatureData calldata signatureData)
        external;

    /// @notice The service manager whose `validate` this handler trusts.
    function getServiceManager() external view returns (address);
}
