// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IWavsServiceHandler} from "./IWavsServiceHandler.sol";

/// @title IWavsServiceManager
/// @notice The WAVS service manager ABI: nodes dry-run `validate` to decide quorum, and
///         handlers call it before accepting an envelope.
interface IWavsServiceManager {
    error InvalidSignatureLength();
    error InvalidSignatureBlock();
    error InvalidSignatureOrder();
    error InvalidSignature();
    error InsufficientQuorumZero();
    error InsufficientQuorum(uint256 signerWeight, uint256 thresholdWeight, uint256 totalWeight);
    error InvalidQuorumParameters();
    /// @notice A signer is not an active signing key (as of the reference block).
    error SignerNotRegistered();

    event ServiceURIUpdated(string serviceURI);
    event QuorumThresholdUpdated(uint256 indexed numerator, uint256 indexed denominator);

    /// @notice Current weight of an operator (zero when not registered).
    function getOperatorWeight(address operator) external view returns (uint256);

    /// @notice Reverts unless the signatures are valid and carry enough weight.
    function validate(
        IWavsServiceHandler.Envelope calldata envelope,
        IWavsServiceHandler.SignatureData calldata signatureData
    ) external view;

    function getServiceURI() external view returns (string memory);

    function setServiceURI(string calldata serviceURI) external;

    /// @notice The operator a signing key currently belongs to (zero when none).
    function getLatestOperatorForSigningKey(address signingKey) external view returns (address);

    function getAllocationManager() external view returns (address);

    function getDelegationManager() external view returns (address);

    function getStakeRegistry() external view returns (address);
}
